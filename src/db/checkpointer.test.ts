import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { tempDirs } from '../testing/test-app.ts';
import { openDatabase, migrate, type Opened } from './index.ts';
import { INLINE_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';

const test = suite('WAL checkpointer thread');
const dirs = tempDirs();
test.after(dirs.cleanup);

async function writeRows(o: Opened, n: number, tag: string) {
  for (let i = 0; i < n; i++) {
    const now = new Date().toISOString();
    await o.db.insertInto('clients').values({ id: `${tag}${i}`, slug: `${tag}-${i}`, name: 'x'.repeat(2000), created_at: now, updated_at: now } as never).execute();
  }
}

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(ok(), what);
};

test('the thread copies committed pages into the data file while the main connection stops checkpointing, and hands back on stop', async () => {
  const dir = dirs.fresh();
  const o = openDatabase(dir);
  await migrate(o.db);
  const errors: string[] = [];
  const cp = startCheckpointer(o.sqlite, o.file, (m) => errors.push(m));
  await until('the thread is ready', () => cp.active);
  assert.is(o.sqlite.pragma('wal_autocheckpoint', { simple: true }), 0, 'the main connection no longer checkpoints in its commits');
  const sizeBefore = fs.statSync(o.file).size;
  await writeRows(o, 300, 'a');
  await until('frames were checkpointed by the thread', () => cp.stats.frames > 0);
  assert.ok(fs.statSync(o.file).size > sizeBefore, 'the data file itself grew (pages copied from the WAL)');
  await cp.stop();
  await cp.stop(); // a second stop (a second close) is harmless
  assert.not.ok(cp.active);
  assert.is(o.sqlite.pragma('wal_autocheckpoint', { simple: true }), INLINE_AUTOCHECKPOINT_PAGES, 'inline checkpoints again');
  await writeRows(o, 10, 'b');
  await o.close();
  assert.equal(errors, []);
  // Everything written is there after reopening.
  const again = openDatabase(dir);
  const n = await again.db.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n')).where('name', '=', 'x'.repeat(2000)).executeTakeFirst();
  assert.is(Number(n?.n), 310);
  await again.close();
});

test('under writes that never pause, the WAL still starts over instead of growing without end', async () => {
  const dir = dirs.fresh();
  const o = openDatabase(dir);
  await migrate(o.db);
  const cp = startCheckpointer(o.sqlite, o.file, () => {}, { restartFrames: 256 }); // 1 MB
  await until('the thread is ready', () => cp.active);
  const walSize = () => { try { return fs.statSync(`${o.file}-wal`).size; } catch { return 0; } };
  let largest = 0;
  let n = 0;
  const until2s = Date.now() + 2000;
  while (Date.now() < until2s) {
    await writeRows(o, 20, `w${n++}-`); // ~40 KB of pages a batch, back to back
    largest = Math.max(largest, walSize());
    await new Promise((r) => setImmediate(r)); // a server's loop turns between its transactions
  }
  await cp.stop();
  await o.close();
  assert.ok(cp.stats.restarts > 0, 'the main connection finished checkpoints');
  // Without restarts every frame ever written would still be in the file; with them it is reused.
  const written = cp.stats.frames * 4096;
  assert.ok(written > 3 * largest, `${(written / 1024 / 1024).toFixed(0)} MB went through a WAL of at most ${(largest / 1024 / 1024).toFixed(1)} MB`);
});

test.run();
