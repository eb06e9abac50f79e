import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../testing/cli.ts';

// docs/PRIVACY.md names, for each clause, the test that proves it: each named test must exist, so
// the page cannot point at a test that was renamed or removed.
const test = suite('docs/PRIVACY.md');

test('every test docs/PRIVACY.md names exists in the file it names', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'PRIVACY.md'), 'utf8');
  const cited = [...doc.matchAll(/`(src\/[^`]+\.test\.ts)` › (.+?)(?=<br>|\||\n)/g)].map((m) => ({ file: m[1], name: m[2].replace(/\s*\([^)]*\)\s*$/, '').trim() }));
  assert.ok(cited.length >= 15, `found ${cited.length} citations`);
  const missing: string[] = [];
  for (const { file, name } of cited) {
    const full = path.join(ROOT, file);
    if (!fs.existsSync(full)) {
      missing.push(`${file} does not exist`);
      continue;
    }
    const src = fs.readFileSync(full, 'utf8');
    const prefix = name.endsWith('…') ? name.slice(0, -1).trim() : name;
    const names = [...src.matchAll(/^test\((['"])(.+?)\1,/gm)].map((m) => m[2].replace(/\\'/g, "'"));
    if (!names.some((n) => (name.endsWith('…') ? n.startsWith(prefix) : n === name))) missing.push(`${file} › ${name}`);
  }
  assert.equal(missing, [], missing.join('\n'));
});

test.run();
