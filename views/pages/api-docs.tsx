import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';
import { apiTextKey } from '../i18n/api-reference.ts';

type Schema = {
  $ref?: string; type?: string | string[]; items?: Schema; properties?: Record<string, Schema>; required?: string[];
  anyOf?: Schema[]; enum?: unknown[]; const?: unknown; description?: string; maxLength?: number; additionalProperties?: unknown; format?: string;
};
interface Param { name: string; in: string; required?: boolean; description?: string; schema?: Schema }
interface Operation {
  operationId: string; tags?: string[]; summary?: string; description?: string; parameters?: Param[]; security?: unknown[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

/** The parts of the OpenAPI document this page shows (it is rendered from the served document). */
export interface OpenApiDoc {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  /** Outgoing webhook events: the body Habar POSTs for each. */
  webhooks?: Record<string, { post: Operation }>;
  components: { schemas: Record<string, Schema> };
}

export interface ApiDocsView {
  doc: OpenApiDoc;
  openapiPath: string;
  events: readonly string[];
  /** The viewer's own client, for links to its keys and webhooks. */
  client?: { slug: string; name: string };
}

/** A short text of the OpenAPI document in the reader's language, where the catalog has it (else as written). */
function docText(v: ViewContext, en: string | undefined): string {
  if (!en) return '';
  const key = apiTextKey(en);
  const s = v.t(key);
  return s === key ? en : s;
}

/** lang="en" for a text shown as written in English on a page in another language. */
const langOf = (v: ViewContext, en: string | undefined) => (en && v.lang !== 'en' && v.t(apiTextKey(en)) === apiTextKey(en) ? 'en' : undefined);

const refName = (ref: string) => ref.split('/').pop() ?? ref;

/** A short, readable type: "string", "Message[]", "open | pending", "string | null". */
function typeOf(s: Schema | undefined): string {
  if (!s) return 'any';
  if (s.$ref) return refName(s.$ref);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  if (s.type === 'object' && !s.properties) return 'object';
  return s.type ?? 'any';
}

function FieldsTable({ v, schema, doc }: { v: ViewContext; schema: Schema; doc: OpenApiDoc }) {
  const s = schema.$ref ? doc.components.schemas[refName(schema.$ref)] ?? schema : schema;
  if (!s.properties) return <p lang={langOf(v, s.description)}><code>{typeOf(schema)}</code>{s.description ? ` — ${docText(v, s.description)}` : ''}</p>;
  return (
    <table class="api-fields">
      <thead><tr><th>{v.t('api_docs.field')}</th><th>{v.t('api_docs.type')}</th><th>{v.t('api_docs.description')}</th></tr></thead>
      <tbody>
        {Object.entries(s.properties).map(([name, p]) => (
          <tr>
            <td><code>{name}</code>{(s.required ?? []).includes(name) ? <small> · {v.t('api_docs.required')}</small> : null}</td>
            <td><code>{typeOf(p)}</code></td>
            <td lang={langOf(v, p.description)}>{docText(v, p.description)}{p.maxLength ? ` (≤ ${p.maxLength})` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationBlock({ v, doc, method, path, op }: { v: ViewContext; doc: OpenApiDoc; method: string; path: string; op: Operation }) {
  const body = op.requestBody ? Object.entries(op.requestBody.content) : [];
  return (
    <section class="card api-op" id={op.operationId}>
      <h3><span class={`method method-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>{op.security?.length === 0 ? <small class="badge">{v.t('api_docs.no_key')}</small> : null}</h3>
      <p>{docText(v, op.summary)}</p>
      {op.description ? <p class="muted" lang={langOf(v, op.description)}>{docText(v, op.description)}</p> : null}
      {op.parameters?.length ? (
        <>
          <h4>{v.t('api_docs.parameters')}</h4>
          <table class="api-fields">
            <tbody>
              {op.parameters.map((p) => (
                <tr><td><code>{p.name}</code> <small>({p.in}{p.required ? `, ${v.t('api_docs.required')}` : ''})</small></td><td><code>{typeOf(p.schema)}</code></td><td>{docText(v, p.description)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {body.map(([type, b]) => (
        <>
          <h4>{v.t('api_docs.request_body')} <small><code>{type}</code></small></h4>
          <FieldsTable v={v} schema={b.schema} doc={doc} />
        </>
      ))}
      <h4>{v.t('api_docs.responses')}</h4>
      <ul>
        {Object.entries(op.responses).map(([status, r]) => {
          const schema = r.content?.['application/json']?.schema;
          return <li><code>{status}</code> {docText(v, r.description)}{schema ? <> — <code>{typeOf(schema)}</code></> : null}</li>;
        })}
      </ul>
    </section>
  );
}

/** The readable API reference, rendered from the same OpenAPI document the API serves. */
export function ApiDocsPage({ v, d }: { v: ViewContext; d: ApiDocsView }) {
  const byTag = new Map<string, Array<{ method: string; path: string; op: Operation }>>();
  for (const [path, methods] of Object.entries(d.doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? '';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  return (
    <Layout v={v} title={v.t('api_docs.title')}>
      <h1>{v.t('api_docs.title')}</h1>
      <p>{v.t('api_docs.intro', { url: d.doc.servers?.[0]?.url ?? '' })} <a href={d.openapiPath}>{v.t('api_docs.openapi', { path: d.openapiPath })}</a></p>
      {d.client ? (
        <p class="actions">
          <a href={`/clients/${d.client.slug}/api-keys`}>{v.t('api_docs.your_keys', { name: d.client.name })}</a>
          <a href={`/clients/${d.client.slug}/webhooks`}>{v.t('api_docs.your_webhooks', { name: d.client.name })}</a>
        </p>
      ) : null}
      <section class="card">
        <h2>{v.t('api_docs.auth_title')}</h2>
        <p>{v.t('api_docs.auth')}</p>
        <pre class="details">{`curl -H "Authorization: Bearer hbr_…" ${d.doc.servers?.[0]?.url ?? ''}/api/v1/conversations?limit=20`}</pre>
        <h2>{v.t('api_docs.conventions_title')}</h2>
        <p>{v.t('api_docs.lists')}</p>
        <p>{v.t('api_docs.errors')}</p>
        <h2>{v.t('api_docs.webhooks_title')}</h2>
        <p>{v.t('api_docs.webhooks_body', { events: d.events.join(', ') })}</p>
        {d.doc.webhooks ? (
          <ul>
            {Object.entries(d.doc.webhooks).map(([event, w]) => {
              const ref = w.post.requestBody?.content['application/json']?.schema.$ref;
              return <li><code>{event}</code> — {docText(v, w.post.summary)}{ref ? <> — <a href={`#schema-${refName(ref)}`}><code>{refName(ref)}</code></a></> : null}</li>;
            })}
          </ul>
        ) : null}
        <p>{v.t('webhooks.signature_help')}</p>
      </section>
      <h2>{v.t('api_docs.operations')}</h2>
      <nav class="api-toc">
        {[...byTag].map(([tag, ops]) => (
          <div><strong>{docText(v, tag)}</strong><ul>{ops.map((o) => <li><a href={`#${o.op.operationId}`}><code>{o.method.toUpperCase()} {o.path}</code></a></li>)}</ul></div>
        ))}
      </nav>
      {[...byTag].map(([tag, ops]) => (
        <>
          <h2>{docText(v, tag)}</h2>
          {ops.map((o) => <OperationBlock v={v} doc={d.doc} method={o.method} path={o.path} op={o.op} />)}
        </>
      ))}
      <h2>{v.t('api_docs.schemas')}</h2>
      {Object.entries(d.doc.components.schemas).map(([name, s]) => (
        <section class="card" id={`schema-${name}`}>
          <h3><code>{name}</code></h3>
          {s.description ? <p class="muted" lang={langOf(v, s.description)}>{docText(v, s.description)}</p> : null}
          <FieldsTable v={v} schema={s} doc={d.doc} />
        </section>
      ))}
    </Layout>
  );
}
