import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { runHabar, startHabar } from '../testing/cli.ts';
import { httpRequest } from '../testing/http-client.ts';
import { tempDirs } from '../testing/test-app.ts';

const test = suite('habar serve: one server per data dir (real processes)');
const dirs = tempDirs();
test.after(dirs.cleanup);

test('a restart right after kill -9 starts at once, even when the pid file names a live process', async () => {
  const dir = dirs.fresh();
  const first = await startHabar(['--data-dir', dir]);
  first.child.kill('SIGKILL');
  // No waiting for the old process to be reaped: its pid may still exist.
  const second = await startHabar(['--data-dir', dir]);
  assert.is((await httpRequest(`${second.url}/readyz`)).status, 200);
  await first.stop();
  second.child.kill('SIGKILL');
  await second.stop();
  // A pid reused by an unrelated live process (here: this test runner) is no reason to refuse either.
  fs.writeFileSync(path.join(dir, 'habar.pid'), String(process.pid));
  const third = await startHabar(['--data-dir', dir]);
  assert.is((await httpRequest(`${third.url}/readyz`)).status, 200);
  assert.is(await third.stop(), 0);
});

test('a second serve on a data dir in use is refused with a clear message and a non-zero exit; settings and backup still work beside it', async () => {
  const dir = dirs.fresh();
  const running = await startHabar(['--data-dir', dir]);
  try {
    const refused = await runHabar(['serve', '--data-dir', dir, '--port', '0']);
    assert.is(refused.code, 2);
    assert.match(refused.stderr, new RegExp(`Another Habar \\(pid ${running.child.pid}\\) is serving .*Stop it first`));
    assert.is(refused.stdout, '');
    const set = await runHabar(['settings', 'set', '--data-dir', dir, 'ui.default_language=kk']);
    assert.is(set.code, 0, set.stderr);
    const backup = await runHabar(['backup', '--data-dir', dir, '--out', path.join(dirs.fresh(), 'b.db')]);
    assert.is(backup.code, 0, backup.stderr);
    const doctor = await runHabar(['doctor', '--data-dir', dir]);
    assert.match(doctor.stdout, new RegExp(`server\\s+running \\(pid ${running.child.pid}\\)`));
    assert.is((await httpRequest(`${running.url}/readyz`)).status, 200, 'the first server still serves');
  } finally {
    assert.is(await running.stop(), 0);
  }
  const doctor = await runHabar(['doctor', '--data-dir', dir]);
  assert.match(doctor.stdout, /server\s+not running/);
});

test.run();
