import type { Child } from 'hono/jsx';
import { Layout, Field, Csrf } from '../layout.tsx';
import { ClientTabs, SelectField, kindName } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { InboxChannel, InboxRow } from '../../src/messaging/index.ts';
import { ThreadPane, type ThreadView } from './inbox-thread.tsx';

export interface InboxFilterValues {
  status?: string;
  channel?: string;
  unread?: boolean;
  q?: string;
}

export interface InboxListView {
  client: { slug: string; name: string };
  filter: InboxFilterValues;
  rows: InboxRow[];
  cursor?: string;
  nextCursor: string | null;
  channels: InboxChannel[];
  /** The conversation open beside the list. */
  openId?: string;
}

/** The filters as a query string (for links that keep them), with extra params appended. */
export function inboxQuery(f: InboxFilterValues, extra: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  if (f.status) p.set('status', f.status);
  if (f.channel) p.set('channel', f.channel);
  if (f.unread) p.set('unread', '1');
  if (f.q) p.set('q', f.q);
  for (const [k, val] of Object.entries(extra)) if (val) p.set(k, val);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const inboxBase = (slug: string) => `/clients/${slug}/inbox`;

/** The inbox: filters and the conversation list, with the open thread beside it. */
export function InboxPage({ v, list, thread }: { v: ViewContext; list: InboxListView; thread?: ThreadView }) {
  const base = inboxBase(list.client.slug);
  return (
    <Layout v={v} title={`${v.t('inbox.title')} · ${list.client.name}`}>
      <ClientTabs v={v} slug={list.client.slug} name={list.client.name} />
      <div class={thread ? 'inbox has-thread' : 'inbox'} data-live-src={`${base}/events`}>
        <aside class="inbox-list">
          <div class="inbox-top">
            <h1>{v.t('inbox.title')}</h1>
            <a href={`${base}/new`} class="button-link">{v.t('inbox.new')}</a>
          </div>
          <InboxFilters v={v} list={list} />
          <ConversationList v={v} list={list} />
        </aside>
        <section class="inbox-thread">
          {thread ? <ThreadPane v={v} slug={list.client.slug} t={thread} /> : <p class="muted inbox-empty">{v.t('inbox.choose')}</p>}
        </section>
      </div>
    </Layout>
  );
}

function InboxFilters({ v, list }: { v: ViewContext; list: InboxListView }) {
  const f = list.filter;
  return (
    <form method="get" action={inboxBase(list.client.slug)} class="filters inbox-filters" role="search">
      <Field label={v.t('inbox.search')} name="q" type="search" value={f.q} placeholder={v.t('inbox.search_hint')} />
      <SelectField label={v.t('inbox.status')} name="status" value={f.status ?? ''}
        options={[['', v.t('inbox.status.any')], ['open', v.t('inbox.status.open')], ['pending', v.t('inbox.status.pending')], ['resolved', v.t('inbox.status.resolved')]]} />
      {list.channels.length > 1 ? (
        <SelectField label={v.t('inbox.channel')} name="channel" value={f.channel ?? ''}
          options={[['', v.t('inbox.channel.any')], ...list.channels.map((ch): [string, string] => [ch.id, `${ch.name} (${kindName(v, ch.kind)})`])]} />
      ) : null}
      <label class="check"><input type="checkbox" name="unread" value="1" checked={!!f.unread} /> {v.t('inbox.unread_only')}</label>
      <button type="submit" class="small">{v.t('common.filter')}</button>
    </form>
  );
}

/**
 * The conversation list (a fragment too): refreshed when the live stream reports a message or a
 * conversation change, keeping the filters and the page.
 */
export function ConversationList({ v, list }: { v: ViewContext; list: InboxListView }) {
  const base = inboxBase(list.client.slug);
  const keep = (extra: Record<string, string | undefined>) => inboxQuery(list.filter, extra);
  return (
    <div id="conversation-list" hx-get={`${base}${keep({ part: 'list', cursor: list.cursor, open: list.openId })}`}
      hx-trigger="live delay:200ms" hx-swap="outerHTML" data-live-on="message conversation">
      {list.rows.length === 0 ? <p class="muted">{v.t(list.filter.q || list.filter.status || list.filter.unread || list.filter.channel ? 'inbox.none_found' : 'inbox.none')}</p> : null}
      <ul class="conversations">
        {list.rows.map((r) => <ConversationItem v={v} href={`${base}/${r.conversation.id}${keep({})}`} row={r} open={r.conversation.id === list.openId} />)}
      </ul>
      {list.cursor ? <a href={`${base}${keep({ open: list.openId })}`}>{v.t('inbox.newest')}</a> : null}
      {list.nextCursor ? <a href={`${base}${list.openId ? `/${list.openId}` : ''}${keep({ cursor: list.nextCursor })}`} class="more">{v.t('common.next_page')}</a> : null}
    </div>
  );
}

export const contactLabel = (v: ViewContext, c: { displayName: string; phone: string | null }) => c.displayName || c.phone || v.t('inbox.unknown_contact');

function ConversationItem({ v, href, row, open }: { v: ViewContext; href: string; row: InboxRow; open: boolean }) {
  const c = row.conversation;
  const unread = c.unreadCount > 0;
  const cls = ['conversation', open ? 'open' : '', unread ? 'unread' : ''].filter(Boolean).join(' ');
  return (
    <li class={cls} id={`conv-${c.id}`}>
      <a href={href} aria-current={open ? 'page' : undefined}>
        <span class="conv-line">
          <strong>{contactLabel(v, row.contact)}</strong>
          <small>{v.time(c.lastActivityAt)}</small>
        </span>
        <span class="conv-line">
          <span class="preview">{row.last ? <Preview v={v} last={row.last} /> : null}</span>
          {unread ? <span class="badge unread-count" aria-label={v.t('inbox.unread_n', { n: c.unreadCount })}>{c.unreadCount}</span> : null}
        </span>
        <span class="conv-line">
          <small>{row.channel.name} · {v.t(`inbox.status.${c.status}`)}</small>
          {c.aiState === 'handed_off' ? <small class="badge off needs-human">{v.t('inbox.ai.handed_off')}</small> : null}
          {c.aiState === 'paused' || c.aiState === 'off' ? <small class="badge">{v.t('inbox.ai.label')}: {v.t(`inbox.ai.${c.aiState}`)}</small> : null}
        </span>
      </a>
    </li>
  );
}

function Preview({ v, last }: { v: ViewContext; last: NonNullable<InboxRow['last']> }): Child {
  const prefix = last.direction === 'out' ? `${v.t(`inbox.author.${last.authorKind}`)}: ` : '';
  const text = last.text || (last.attachments ? v.t('inbox.attachment_only') : '');
  return <>{prefix}{text}</>;
}

export interface NewConversationValues {
  channel: string;
  to: string;
  name: string;
  text: string;
  pause: boolean;
}

/**
 * Start a conversation with a new contact (a sandbox customer, a phone number on WhatsApp):
 * `channels` are those on which one can be started (the route asks their drivers).
 */
export function NewConversationPage(props: { v: ViewContext; client: { slug: string; name: string }; channels: InboxChannel[]; values: NewConversationValues; errors?: Record<string, string> }) {
  const { v, client, channels: usable, values, errors } = props;
  const base = inboxBase(client.slug);
  return (
    <Layout v={v} title={v.t('inbox.new')}>
      <ClientTabs v={v} slug={client.slug} name={client.name} />
      <section class="card">
        <h1>{v.t('inbox.new')}</h1>
        {usable.length === 0 ? <p class="muted">{v.t('inbox.new.no_channel')}</p> : (
          <form method="post" action={`${base}/new`}>
            <Csrf v={v} />
            {errors?.form ? <p class="error" role="alert">{errors.form}</p> : null}
            <SelectField label={v.t('inbox.channel')} name="channel" value={values.channel} error={errors?.channel}
              options={usable.map((ch): [string, string] => [ch.id, `${ch.name} (${kindName(v, ch.kind)})`])} />
            <Field label={v.t('inbox.new.to')} name="to" value={values.to} error={errors?.to} placeholder="+7 701 234 56 78" />
            <p class="muted">{v.t('inbox.new.to_hint')}</p>
            <Field label={v.t('inbox.contact.name')} name="name" value={values.name} error={errors?.name ?? errors?.display_name} />
            <label class={errors?.text ? 'field invalid' : 'field'}>
              <span>{v.t('inbox.new.text')}</span>
              <textarea name="text" rows={4} required data-max-chars="4096" data-too-long={v.t('validation.text_too_long', { n: 4096 })}>{values.text}</textarea>
              <small class="error length-note" hidden={!errors?.text}>{errors?.text ?? ''}</small>
            </label>
            <label class="check"><input type="checkbox" name="pause" value="1" checked={values.pause} /> {v.t('inbox.new.pause')}</label>
            <p class="actions">
              <button type="submit">{v.t('inbox.new.send')}</button>
              <a href={base}>{v.t('common.cancel')}</a>
            </p>
          </form>
        )}
      </section>
    </Layout>
  );
}
