import type { ViewContext } from './view-context.ts';

/**
 * A code (an audit action, a job kind) under its readable name from `<prefix><code>`, the code
 * itself beside it (what filters, exports and the API use). Without a name: the code alone.
 */
export function NamedCode({ v, prefix, code }: { v: ViewContext; prefix: string; code: string }) {
  const key = `${prefix}${code}`;
  const name = v.t(key);
  if (name === key) return <code>{code}</code>;
  return <span class="named-code">{name} <code class="muted">{code}</code></span>;
}
