import { Layout } from '../layout.tsx';
import { LANGS, LANG_NAMES } from '../i18n/index.ts';
import type { ViewContext } from '../view-context.ts';

export interface ChatBubble {
  id: string;
  mine: boolean;
  text: string;
  at: string;
  attachments: string[];
}

export interface ChatThreadData {
  token: string;
  businessName: string;
  messages: ChatBubble[];
  /** Changes whenever what the customer sees changes: the poll answers 204 while it is the same. */
  version: string;
}

export interface ComposeData {
  token: string;
  /** A fresh id per form: a double submit stores one message. */
  messageId: string;
  /** The longest message accepted, in characters (code points). */
  maxChars: number;
  text?: string;
  error?: string;
}

/** The public customer-side chat page of a sandbox channel (no admin session). */
export function CustomerChatPage(props: { v: ViewContext; thread: ChatThreadData; compose: ComposeData }) {
  const { v, thread } = props;
  return (
    <Layout v={v} title={v.t('chat.title', { name: thread.businessName })}>
      <section class="chat card" data-live-src={`/c/${thread.token}/events`}>
        <div class="chat-top">
          <h1>{v.t('chat.title', { name: thread.businessName })}</h1>
          <LanguageLinks v={v} token={thread.token} />
        </div>
        <p class="muted">{v.t('chat.intro')}</p>
        <ChatThread v={v} thread={thread} />
        <ComposeForm v={v} compose={props.compose} />
      </section>
    </Layout>
  );
}

/** The page's language, chosen by a plain link (a full load, so the whole page follows; the choice is kept in a cookie). */
function LanguageLinks({ v, token }: { v: ViewContext; token: string }) {
  return (
    <nav class="langs" aria-label={v.t('nav.language')}>
      {LANGS.map((l) => <a href={`/c/${token}?lang=${l}`} hreflang={l} lang={l} hx-boost="false" aria-current={l === v.lang ? 'true' : undefined}>{LANG_NAMES[l]}</a>)}
    </nav>
  );
}

/**
 * The thread; it refreshes the moment the page's live stream (/events, held by the section around
 * it: public/inbox.js) says something changed, and polls every 30 s should the stream be down. It
 * is replaced only when something changed.
 */
export function ChatThread({ v, thread }: { v: ViewContext; thread: ChatThreadData }) {
  const base = `/c/${thread.token}`;
  return (
    <div id="thread" class="chat-thread" aria-live="polite"
      hx-get={`${base}/thread?v=${encodeURIComponent(thread.version)}`} hx-trigger="live, every 30s" hx-swap="outerHTML scroll:bottom" data-live-on="message">
      {thread.messages.length === 0 ? <p class="muted">{v.t('chat.empty')}</p> : null}
      {thread.messages.map((m) => (
        <div class={m.mine ? 'bubble mine' : 'bubble theirs'} id={`m-${m.id}`}>
          <small>{m.mine ? v.t('chat.you') : thread.businessName} · {v.time(m.at)}</small>
          {m.text ? <p>{m.text}</p> : null}
          {m.attachments.map((a) => <p class="muted">{v.t('chat.attachment', { name: a })}</p>)}
        </div>
      ))}
    </div>
  );
}

/** The message form; after a send it comes back empty with a new message id (out of band). */
export function ComposeForm({ v, compose, oob }: { v: ViewContext; compose: ComposeData; oob?: boolean }) {
  const action = `/c/${compose.token}/messages`;
  return (
    <form id="compose" class="chat-compose" method="post" action={action} hx-post={action} hx-target="#thread" hx-swap="outerHTML scroll:bottom"
      hx-swap-oob={oob ? 'true' : undefined}>
      <input type="hidden" name="message_id" value={compose.messageId} />
      <label class={compose.error ? 'field invalid' : 'field'}>
        <span class="visually-hidden">{v.t('chat.placeholder')}</span>
        {/* No maxlength: the browser would cut a pasted message silently. public/forms.js says so instead
            (and keeps the form from sending); the server refuses it again with the same words. */}
        <textarea name="text" rows={2} required placeholder={v.t('chat.placeholder')} aria-invalid={compose.error ? 'true' : undefined}
          data-max-chars={String(compose.maxChars)} data-too-long={v.t('chat.error.too_long', { n: compose.maxChars })}>{compose.text ?? ''}</textarea>
        <small class="error length-note" role="alert" hidden={!compose.error}>{compose.error ?? ''}</small>
      </label>
      <button type="submit">{v.t('chat.send')}</button>
    </form>
  );
}
