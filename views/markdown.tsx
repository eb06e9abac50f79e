import type { Child } from 'hono/jsx';

/**
 * A small, safe rendering of operator-written markdown (policy texts, the DPA): "# " and "## "
 * headings, "- " list items, blank-line separated paragraphs. Everything is escaped as text.
 */
export function Markdown({ text }: { text: string }) {
  const out: Child[] = [];
  let list: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (list.length) out.push(<ul>{list.map((l) => <li>{l}</li>)}</ul>);
    if (para.length) out.push(<p>{para.join(' ')}</p>);
    list = [];
    para = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const l = line.trim();
    if (!l) { flush(); continue; }
    const h = /^(#{1,3})\s+(.*)$/.exec(l);
    if (h) {
      flush();
      out.push(h[1].length === 1 ? <h1>{h[2]}</h1> : h[1].length === 2 ? <h2>{h[2]}</h2> : <h3>{h[2]}</h3>);
    } else if (/^[-*]\s+/.test(l)) {
      if (para.length) flush();
      list.push(l.replace(/^[-*]\s+/, ''));
    } else {
      if (list.length) flush();
      para.push(l);
    }
  }
  flush();
  return <div class="markdown">{out}</div>;
}
