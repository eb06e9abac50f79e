// Formatting between Chatwoot (Markdown: **bold**, *italic*, ~~strike~~, `code`, [text](url))
// and the messengers' own marks (WhatsApp: *bold*, _italic_, ~strike~, ```mono```).

const BOLD = '\u0001';

/** A messenger's marks as Chatwoot's Markdown (what customers and the AI wrote, mirrored). */
export function toChatwootMarkdown(text: string): string {
  return text
    .replace(/(^|[\s(])\*(?!\s)([^*\n]+?)(?<!\s)\*(?=$|[\s).,!?:;])/g, '$1**$2**')
    .replace(/(^|[\s(])~(?!\s)([^~\n]+?)(?<!\s)~(?=$|[\s).,!?:;])/g, '$1~~$2~~');
}

/** Chatwoot's Markdown as a messenger's marks (an agent's reply on its way to the customer). */
export function toMessengerMarks(text: string): string {
  return text
    .replace(/```([\s\S]+?)```/g, (_, code: string) => `\u0002${Buffer.from(code).toString('base64')}\u0002`)
    .replace(/\*\*(?!\s)([^*\n]+?)(?<!\s)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/__(?!\s)([^_\n]+?)(?<!\s)__/g, `${BOLD}$1${BOLD}`)
    .replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)(?<!\s)\*(?!\*)/g, '$1_$2_')
    .replace(/~~(?!\s)([^~\n]+?)(?<!\s)~~/g, '~$1~')
    .replace(/`([^`\n]+)`/g, '```$1```')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/^#{1,6}\s+(.+)$/gm, `${BOLD}$1${BOLD}`)
    .replaceAll(BOLD, '*')
    .replace(/\u0002([A-Za-z0-9+/=]*)\u0002/g, (_, b64: string) => `\`\`\`${Buffer.from(b64, 'base64').toString()}\`\`\``);
}

/** Prefixes the agent's name (the client's sign_agent_name option), bold as the messengers show it. */
export const signedBy = (name: string, text: string) => `*${name.replace(/[*\n]/g, '').trim()}*:\n${text}`;

/**
 * Splits a text into parts of at most `max` characters (code points), at a paragraph, line or
 * word break where there is one: a channel's limit (Instagram: 1000) is kept on the way out.
 */
export function splitForChannel(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = [...text];
  while (rest.length > max) {
    const head = rest.slice(0, max).join('');
    const cut = Math.max(head.lastIndexOf('\n\n'), head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const at = cut > max / 2 ? [...head.slice(0, cut)].length : max;
    parts.push(rest.slice(0, at).join('').trimEnd());
    rest = [...rest.slice(at).join('').trimStart()];
  }
  if (rest.length || parts.length === 0) parts.push(rest.join(''));
  return parts;
}
