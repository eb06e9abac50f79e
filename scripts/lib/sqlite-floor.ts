// The floor of durable ingest on this machine: the inbound pipeline's own writes for one message
// (duplicate check, identity and conversation look-ups, message with its indexes and search
// pending row, conversation touch, processing job, usage row), as prepared better-sqlite3
// statements with nothing around them, committed in groups like Habar's group commit. Run on a
// copy of a real, migrated habar.db with the same pragmas; used by scripts/bench-ingest.ts.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openSqlite } from '../../src/db/connection.ts';

export function sqliteFloor(dbFile: string, scratch: string, o: { messages: number; group: number; customers: number }): { usPerMessage: number } {
  const file = path.join(scratch, 'floor.db');
  fs.copyFileSync(dbFile, file);
  const db = openSqlite(file);
  try {
    const acc = db.prepare("SELECT id, client_id FROM channel_accounts WHERE kind = 'sandbox' LIMIT 1").get() as { id: string; client_id: string };
    let seq = 0;
    const id = () => `${Date.now().toString(32).padStart(10, '0')}${randomBytes(6).toString('hex')}${(seq++).toString(36).padStart(4, '0')}`;
    const now = () => new Date().toISOString();
    const s = {
      dup: db.prepare('SELECT id FROM messages WHERE channel_account_id = ? AND platform_message_id = ?'),
      ident: db.prepare('SELECT contact_id FROM contact_identities WHERE channel_account_id = ? AND kind = ? AND value = ?'),
      conv: db.prepare('SELECT * FROM conversations WHERE channel_account_id = ? AND contact_id = ?'),
      msg: db.prepare(`INSERT INTO messages (id, client_id, contact_id, conversation_id, channel_account_id, direction, author_kind, platform_message_id, text, attachments, status, uncertain, created_at, delivered_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'in', 'contact', ?, ?, '[]', 'delivered', 0, ?, ?, ?)`),
      touch: db.prepare('UPDATE conversations SET last_activity_at = ?, last_inbound_at = ?, unread_count = unread_count + 1, updated_at = ? WHERE id = ?'),
      job: db.prepare(`INSERT INTO jobs (id, client_id, contact_id, conversation_id, kind, payload, idempotency_key, queue_key, status, attempts, max_attempts, run_at, created_at, updated_at)
        VALUES (?, ?, ?, ?, 'message.process', ?, ?, ?, 'pending', 0, 8, ?, ?, ?)`),
      usage: db.prepare("INSERT INTO usage_events (id, client_id, kind, channel_account_id, quantity, meta, at) VALUES (?, ?, 'inbound_message', ?, 1, '{}', ?)"),
    };
    db.transaction(() => {
      for (let i = 0; i < o.customers; i++) {
        const c = id(), v = id(), t = now();
        db.prepare("INSERT INTO contacts (id, client_id, display_name, created_at, updated_at) VALUES (?, ?, 'floor', ?, ?)").run(c, acc.client_id, t, t);
        db.prepare("INSERT INTO contact_identities (id, client_id, contact_id, channel_account_id, kind, value, created_at) VALUES (?, ?, ?, ?, 'sandbox', ?, ?)").run(id(), acc.client_id, c, acc.id, `floor-${i}`, t);
        db.prepare('INSERT INTO conversations (id, client_id, contact_id, channel_account_id, last_activity_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(v, acc.client_id, c, acc.id, t, t, t);
      }
    })();
    const one = (k: number) => {
      const t = now();
      const pm = `floor/${k}`;
      s.dup.get(acc.id, pm);
      const { contact_id: contact } = s.ident.get(acc.id, 'sandbox', `floor-${k % o.customers}`) as { contact_id: string };
      const { id: conv } = s.conv.get(acc.id, contact) as { id: string };
      const mid = id();
      s.msg.run(mid, acc.client_id, contact, conv, acc.id, pm, `Hello! Do you deliver to Almaty? (${k})`, t, t, t);
      s.touch.run(t, t, t, conv);
      s.job.run(id(), acc.client_id, contact, conv, JSON.stringify({ messageId: mid }), `process:${mid}`, `process:${conv}`, t, t, t);
      s.usage.run(id(), acc.client_id, acc.id, t);
    };
    const group = db.transaction((k0: number) => { for (let i = 0; i < o.group; i++) one(k0 + i); });
    const cpu0 = process.cpuUsage();
    for (let k = 0; k < o.messages; k += o.group) group(k);
    const cpu = process.cpuUsage(cpu0);
    return { usPerMessage: (cpu.user + cpu.system) / o.messages };
  } finally {
    db.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
}
