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

// Every numbered section of the policy, 3.1 to 13 (../shared/PRIVACY-POLICY.md).
const SECTIONS = ['3.1', '3.2', '3.3', '3.4', '4.1', '4.2', '5.1', '5.2', '5.3', '5.4', '6.1', '6.2', '6.3', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '7.7', '8', '9', '10', '11', '12', '13'];

/** "3.1–3.3" → 3.1, 3.2, 3.3; "6.2, 9" → 6.2, 9; "7" → 7. */
function sectionsOf(cell: string): string[] {
  const out: string[] = [];
  for (const part of cell.split(',').map((x) => x.trim())) {
    const range = /^(\d+)\.(\d+)\s*[–-]\s*\1\.(\d+)$/.exec(part);
    if (range) for (let i = Number(range[2]); i <= Number(range[3]); i++) out.push(`${range[1]}.${i}`);
    else out.push(part);
  }
  return out;
}

test('every numbered section 3.1 to 13 of the policy has a row whose proof is a named test (or a later branch’s, said so)', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'PRIVACY.md'), 'utf8');
  const rows = doc.split('\n').filter((l) => /^\| [\d.,–\s-]+ \|/.test(l)).map((l) => l.split('|').map((c) => c.trim()));
  const covered = new Map<string, string[]>();
  for (const r of rows) for (const sec of sectionsOf(r[1])) covered.set(sec, [...(covered.get(sec) ?? []), r[4]]);
  const missing = SECTIONS.filter((sec) => !covered.has(sec));
  assert.equal(missing, [], `sections without a row: ${missing.join(', ')}`);
  const unproved = SECTIONS.filter((sec) => !covered.get(sec)!.some((proof) => /`src\/[^`]+\.test\.ts` ›/.test(proof) || /\*later|branch priv-export/.test(proof)));
  assert.equal(unproved, [], `sections whose rows name no test: ${unproved.join(', ')}`);
});

test.run();
