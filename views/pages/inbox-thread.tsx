import { Field, Csrf } from '../layout.tsx';
import { ActionButton, kindName } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { AiState, AttachmentMeta, Message, ReplyWindow, ThreadHeader } from '../../src/messaging/index.ts';

// One conversation in the inbox: its header (state and actions), the live message list, the
// reply box (text and a file) and the contact editor. Each part is also an htmx fragment.

export interface ContactValues {
  name: string;
  phone: string;
  tags: string;
}

export interface ThreadView {
  header: ThreadHeader;
  messages: Message[];
  hasOlder: boolean;
  /** Names of the agents who wrote in the thread, by user id. */
  authors: Record<string, string>;
  /** A sandbox contact's own chat page (to try the customer's side). */
  customerLink?: string;
  /** The filters of the list beside the thread, kept in every link and form (`?…` or ''). */
  keep: string;
  maxBytes: number;
  /** The longest reply text, in characters (code points). */
  maxChars: number;
  /** The AI state as it holds now, and what the header says beside it. */
  ai: ThreadAi;
  /** Whether and how the channel lets the business write now (its driver's window; open without one). */
  replyWindow?: ReplyWindow;
  reply?: { text: string; error?: string };
  /** Response templates rendered for this contact: typing /code in the reply box inserts one (public/templates.js). */
  templates?: Array<{ code: string; text: string }>;
  contactForm?: { values: ContactValues; errors: Record<string, string> };
}

export interface ThreadAi {
  state: AiState;
  pausedUntil: string | null;
  /** The client's AI assistant is switched on. */
  enabled: boolean;
  resumeAfterMinutes: number;
  handoffReason: string | null;
  handedOffAt: string | null;
}

const threadBase = (slug: string, id: string) => `/clients/${slug}/inbox/${id}`;

/** How long "take over" can pause the AI for (minutes; '' = until resumed). */
const PAUSE_CHOICES = ['', '30', '60', '240', '1440'];
const HANDOFF_REASONS = ['keyword', 'tool', 'failures', 'no_match', 'restricted', 'plan_quota'];

export function ThreadPane({ v, slug, t }: { v: ViewContext; slug: string; t: ThreadView }) {
  return (
    <div class="thread" id="thread">
      {/* Only on a phone, where the open thread hides the list (app.css). */}
      <a class="back-to-list" href={`/clients/${slug}/inbox${t.keep}`}>← {v.t('inbox.back')}</a>
      <ThreadHead v={v} slug={slug} t={t} />
      <MessageList v={v} slug={slug} t={t} />
      <ReplyBox v={v} slug={slug} t={t} />
      <ContactEditor v={v} slug={slug} t={t} />
    </div>
  );
}

/** Who, where, the status and the AI state, with resolve/reopen and the AI's controls. */
export function ThreadHead({ v, slug, t }: { v: ViewContext; slug: string; t: ThreadView }) {
  const { conversation: cv, contact, channel } = t.header;
  const base = threadBase(slug, cv.id);
  return (
    <header id="thread-head" class="thread-head" hx-get={`${base}${t.keep ? `${t.keep}&` : '?'}part=head`} hx-trigger="live delay:150ms" hx-swap="outerHTML"
      data-live-on="conversation" data-live-conversation={cv.id}>
      <h2>{contact.displayName || contact.phone || v.t('inbox.unknown_contact')}</h2>
      <p class="muted">
        {contact.phone ? <>{contact.phone} · </> : null}
        {channel.name} ({kindName(v, channel.kind)})
        {contact.tags.map((tag) => <> <span class="badge">{tag}</span></>)}
        {t.customerLink ? <> · <a href={t.customerLink} target="_blank" rel="noopener" hx-boost="false">{v.t('inbox.customer_page')}</a></> : null}
      </p>
      <p class="thread-state">
        <span class={`badge status-${cv.status}`}>{v.t(`inbox.status.${cv.status}`)}</span>
      </p>
      <div class="actions">
        {cv.status === 'resolved'
          ? <ActionButton v={v} action={`${base}/status${t.keep}`} label={v.t('inbox.reopen')}><input type="hidden" name="status" value="open" /></ActionButton>
          : <ActionButton v={v} action={`${base}/status${t.keep}`} label={v.t('inbox.resolve')}><input type="hidden" name="status" value="resolved" /></ActionButton>}
      </div>
      {contact.objected ? (
        <section class="notice objection" role="status" data-objected="1">
          <p>{v.t('inbox.objection.note')}</p>
          <ActionButton v={v} action={`${base}/objection${t.keep}`} label={v.t('inbox.objection.lift')} />
        </section>
      ) : null}
      {contact.restricted ? <p class="notice restriction" role="status">{v.t('inbox.restriction.note')}</p> : null}
      <AiControl v={v} slug={slug} t={t} />
    </header>
  );
}

const AI_BADGE: Record<AiState, string> = { active: 'badge on', paused: 'badge', handed_off: 'badge off needs-human', off: 'badge' };

/**
 * The conversation's AI state (answering; paused by a person until a time or until resumed;
 * handed off: needs a person; off) and the buttons that fit it. One control: "take over" is the
 * pause. Each posts to the AI room's state route, which audits the change.
 */
function AiControl({ v, slug, t }: { v: ViewContext; slug: string; t: ThreadView }) {
  const { ai } = t;
  const cv = t.header.conversation;
  const action = `/clients/${slug}/ai/conversations/${cv.id}/state`;
  const next = `${threadBase(slug, cv.id)}${t.keep}`;
  const state = (value: string) => <><input type="hidden" name="state" value={value} /><input type="hidden" name="next" value={next} /></>;
  const reason = ai.handoffReason && HANDOFF_REASONS.includes(ai.handoffReason) ? ai.handoffReason : 'other';
  return (
    <section class="ai-control" aria-label={v.t('inbox.ai.label')} data-ai-state={ai.state}>
      <p>
        {v.t('inbox.ai.label')}: <span class={AI_BADGE[ai.state]}>{v.t(`inbox.ai.${ai.state}`)}</span>
        {ai.state === 'paused' ? <small> {ai.pausedUntil ? v.t('inbox.ai.until', { time: v.time(ai.pausedUntil) }) : v.t('inbox.ai.until_resumed')}</small> : null}
      </p>
      {ai.state === 'handed_off'
        ? <p class="notice handoff-note" role="status">{v.t('inbox.ai.handoff_note', { time: ai.handedOffAt ? v.time(ai.handedOffAt) : '—', reason: v.t(`inbox.ai.reason.${reason}`) })}</p>
        : null}
      <div class="actions">
        {ai.state === 'active' ? (
          <form method="post" action={action} class="inline">
            <Csrf v={v} />
            {state('paused')}
            <label>{v.t('inbox.ai.pause_for')}{' '}
              <select name="minutes">
                {PAUSE_CHOICES.map((m) => <option value={m}>{!m ? v.t('inbox.ai.pause.until_resumed') : Number(m) < 60 ? v.t('inbox.ai.pause.minutes', { n: m }) : v.t('inbox.ai.pause.hours', { n: String(Number(m) / 60) })}</option>)}
              </select>
            </label>{' '}
            <button type="submit" class="small">{v.t('inbox.ai.pause')}</button>
          </form>
        ) : <ActionButton v={v} action={action} label={v.t('inbox.ai.resume')}>{state('active')}</ActionButton>}
        {ai.state !== 'off' ? <ActionButton v={v} action={action} label={v.t('inbox.ai.turn_off')}>{state('off')}</ActionButton> : null}
      </div>
      <p class="muted">{ai.enabled ? v.t('inbox.ai.hint', { minutes: String(ai.resumeAfterMinutes) }) : v.t('inbox.ai.disabled')}</p>
    </section>
  );
}

/** The messages, oldest first; re-fetched from the first shown one when the stream reports a change. */
export function MessageList({ v, slug, t }: { v: ViewContext; slug: string; t: ThreadView }) {
  const id = t.header.conversation.id;
  const base = threadBase(slug, id);
  const first = t.messages[0]?.id;
  const part = (extra: string) => `${base}${t.keep ? `${t.keep}&` : '?'}part=messages${extra}`;
  // While a reply is still queued, the list also looks again a second after it is shown: its
  // "sent" event may have come before this copy of the list replaced the one it refreshed
  // (a reply's own response swaps the list), or while the stream was reconnecting.
  const waiting = t.messages.some((m) => m.direction === 'out' && m.status === 'queued');
  return (
    <div id="messages" class="messages" hx-get={part(first ? `&since=${first}` : '')} hx-trigger={waiting ? 'live delay:150ms, load delay:1s' : 'live delay:150ms'} hx-swap="outerHTML"
      data-live-on="message" data-live-conversation={id} aria-live="polite">
      {t.hasOlder && first ? <button type="button" class="small link-dark" hx-get={part(`&older=${first}`)} hx-target="#messages" hx-swap="outerHTML">{v.t('inbox.older')}</button> : null}
      {t.messages.length === 0 ? <p class="muted">{v.t('inbox.no_messages')}</p> : null}
      <ol>{t.messages.map((m) => <MessageItem v={v} slug={slug} m={m} t={t} />)}</ol>
    </div>
  );
}

function authorOf(v: ViewContext, m: Message, t: ThreadView): string {
  if (m.authorKind === 'contact') return t.header.contact.displayName || v.t('inbox.unknown_contact');
  if (m.authorKind === 'agent') return (m.authorUserId && t.authors[m.authorUserId]) || v.t('inbox.author.agent');
  return v.t(`inbox.author.${m.authorKind}`);
}

const kb = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** A catalog entry, or undefined when the catalog has no such key (the translator answers a missing key with the key). */
function known(v: ViewContext, key: string, params?: Record<string, string | number>): string | undefined {
  const s = v.t(key, params);
  return s === key ? undefined : s;
}

/** A failed message's reason in the reader's language (its English text when the reason has no catalog entry). */
function failureText(v: ViewContext, m: Message): string {
  return (m.errorReason && known(v, m.errorReason.key, m.errorReason.params)) ?? m.error ?? '';
}

/** One file of a message: stored here (a download), only at the platform (a link), or not kept, with why. */
function FileItem({ v, base, a }: { v: ViewContext; base: string; a: AttachmentMeta }) {
  const label = (a.label && known(v, `inbox.file.label.${a.label}`)) || a.name;
  const remote = a.url && /^https?:\/\//i.test(a.url) ? a.url : undefined;
  return (
    <p class="msg-file">
      {a.id
        ? <a href={`${base}/attachments/${a.id}`} hx-boost="false" download={a.name}>{label}</a>
        : remote ? <a href={remote} hx-boost="false" target="_blank" rel="noopener noreferrer">{label}</a> : <span>{label}</span>}
      {a.notStored ? <> <small class="file-not-stored">({v.t(`inbox.file.not_stored.${a.notStored}`)})</small></> : a.size ? <> <small>({kb(a.size)})</small></> : null}
    </p>
  );
}

function MessageItem({ v, slug, m, t }: { v: ViewContext; slug: string; m: Message; t: ThreadView }) {
  const base = threadBase(slug, m.conversationId);
  return (
    <li id={`msg-${m.id}`} class={`msg ${m.direction === 'in' ? 'msg-in' : 'msg-out'} author-${m.authorKind}`}>
      <small class="msg-meta">
        {authorOf(v, m, t)} · <time datetime={m.createdAt}>{v.time(m.createdAt)}</time>
        {m.direction === 'out' ? <> · <span class={`delivery delivery-${m.status}`}>{v.t(`inbox.delivery.${m.status}`)}</span></> : null}
        {m.uncertain ? <> · <span class="badge off" title={v.t('inbox.uncertain_hint')}>{v.t('inbox.uncertain')}</span></> : null}
        {m.editedAt ? <> · <span class="badge msg-edited" title={v.time(m.editedAt)}>{v.t('inbox.edited')}</span></> : null}
        {m.deletedAt ? <> · <span class="badge off msg-deleted" title={v.time(m.deletedAt)}>{v.t('inbox.deleted')}</span></> : null}
      </small>
      {m.text ? <p class="msg-text">{m.text}</p> : null}
      {m.attachments.map((a) => <FileItem v={v} base={base} a={a} />)}
      {m.status === 'failed' && m.error ? <p class="error msg-error">{v.t('inbox.delivery.failed_because', { error: failureText(v, m) })}</p> : null}
    </li>
  );
}

/** Text and one file; a file above the cap is refused in the browser (inbox.js) and again here. */
export function ReplyBox({ v, slug, t }: { v: ViewContext; slug: string; t: ThreadView }) {
  const base = threadBase(slug, t.header.conversation.id);
  const err = t.reply?.error;
  const mb = Math.floor(t.maxBytes / 1024 / 1024);
  const closed = t.replyWindow?.state === 'closed';
  return (
    <form id="reply" class="reply" method="post" action={`${base}/reply${t.keep}`} enctype="multipart/form-data"
      data-max-bytes={String(t.maxBytes)} data-too-large={v.t('inbox.file_too_large', { mb })}>
      <Csrf v={v} />
      <ReplyWindowNote v={v} w={t.replyWindow} />
      <label class={err ? 'field invalid' : 'field'}>
        <span class="visually-hidden">{v.t('inbox.reply')}</span>
        {/* No maxlength, which would cut a pasted text silently: public/forms.js says it is too long instead. */}
        <textarea name="text" rows={3} placeholder={v.t('inbox.reply_placeholder')} aria-invalid={err ? 'true' : undefined} disabled={closed}
          data-max-chars={String(t.maxChars)} data-too-long={v.t('validation.text_too_long', { n: t.maxChars })}
          data-templates={t.templates?.length ? JSON.stringify(t.templates) : undefined}>{t.reply?.text ?? ''}</textarea>
        <small class="error length-note" role="alert" hidden={!err}>{err ?? ''}</small>
        {t.templates?.length ? <small class="muted template-hint" data-template-hint>{v.t('automation.templates.hint', { codes: t.templates.slice(0, 8).map((x) => `/${x.code}`).join(' ') })}</small> : null}
      </label>
      <div class="actions">
        <label class="file">
          <span>{v.t('inbox.attach', { mb })}</span> <input type="file" name="file" />
        </label>
        <button type="submit" disabled={closed}>{v.t('inbox.send')}</button>
      </div>
    </form>
  );
}

/** Whether a reply can reach the customer now, and until when (channels with a messaging window). */
function ReplyWindowNote({ v, w }: { v: ViewContext; w?: ReplyWindow }) {
  if (!w || (w.state === 'open' && !w.until)) return null;
  if (w.state === 'open') return <p class="muted reply-window" data-reply-window="open">{v.t('inbox.window.open', { time: v.time(w.until!) })}</p>;
  if (w.state === 'human_only') return <p class="notice reply-window" role="status" data-reply-window="human_only">{v.t('inbox.window.human_only', { time: v.time(w.until) })}</p>;
  return <p class="notice reply-window" role="status" data-reply-window="closed">{v.t(`inbox.window.${w.reason}`)}</p>;
}

/** The contact's name, phone and tags (rectification); opens itself when the last save failed. */
export function ContactEditor({ v, slug, t }: { v: ViewContext; slug: string; t: ThreadView }) {
  const c = t.header.contact;
  const values = t.contactForm?.values ?? { name: c.displayName, phone: c.phone ?? '', tags: c.tags.join(', ') };
  const errors = t.contactForm?.errors;
  return (
    <details class="card contact-editor" open={!!errors}>
      <summary>{v.t('inbox.contact.edit')}</summary>
      <form method="post" action={`${threadBase(slug, t.header.conversation.id)}/contact${t.keep}`}>
        <Csrf v={v} />
        {errors?.form ? <p class="error" role="alert">{errors.form}</p> : null}
        <Field label={v.t('inbox.contact.name')} name="display_name" value={values.name} error={errors?.display_name} />
        <Field label={v.t('inbox.contact.phone')} name="phone" value={values.phone} error={errors?.phone} placeholder="+7 701 234 56 78" />
        <Field label={v.t('inbox.contact.tags')} name="tags" value={values.tags} error={errors?.tags} placeholder={v.t('inbox.contact.tags_hint')} />
        <button type="submit" class="small">{v.t('common.save')}</button>
      </form>
    </details>
  );
}
