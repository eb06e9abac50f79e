import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../testing/cli.ts';
import { SETTINGS } from './registry.ts';

const test = suite('runtime settings in the README');

test("every runtime setting is in the README's settings table with its scope, and the table names no unknown key", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Runtime settings'), readme.indexOf('\n## ', readme.indexOf('## Runtime settings') + 1));
  const rows = section.split('\n').filter((l) => /^\| `[^`]+` \|/.test(l));
  const documented = new Map(rows.map((l) => [l.match(/^\| `([^`]+)`/)![1], l.split('|')[2].trim()]));
  const problems: string[] = [];
  for (const s of SETTINGS) {
    const scope = documented.get(s.key);
    if (!scope) problems.push(`${s.key} is missing`);
    else if (scope !== (s.scope === 'client' ? 'client' : 'install')) problems.push(`${s.key} has scope "${scope}", the registry says ${s.scope}`);
  }
  for (const key of documented.keys()) if (!SETTINGS.some((s) => s.key === key)) problems.push(`${key} is not a setting`);
  assert.equal(problems, [], `README.md's runtime settings table: ${problems.join('; ')}`);
});

test.run();
