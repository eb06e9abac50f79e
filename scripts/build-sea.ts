// Builds the single executable described by build.config.ts with Node's SEA mechanism:
// esbuild bundle (CommonJS) -> sea-config.json -> `node --experimental-sea-config` blob ->
// copy of the Node 24 binary -> postject. Offline: nothing is downloaded.
//   npm run build [-- --entry src/other.ts] [--out dist/x] [--code-cache]
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import config from '../build.config.ts';

const root = resolve(import.meta.dirname, '..');
const started = performance.now();
const { values: args } = parseArgs({
  options: { entry: { type: 'string' }, out: { type: 'string' }, 'code-cache': { type: 'boolean' } },
});
const entry = resolve(root, args.entry ?? config.entry);
const output = resolve(root, args.out ?? config.output);
const work = resolve(root, config.workDir);
const nodeBinary = resolve(root, config.node.binary);
const useCodeCache = args['code-cache'] ?? config.useCodeCache;
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// 1. Bundle. A SEA main script must be one CommonJS file, and its `require` loads only
// built-in modules, so everything else is bundled (better-sqlite3's JS included; its addon
// is an asset loaded by src/lib/sea.ts). import.meta is empty in CJS output, so it is
// rebuilt from __filename (which is the executable's path inside a SEA).
const bundle = join(work, 'main.cjs');
const result = await build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  tsconfig: join(root, 'tsconfig.json'), // jsx: react-jsx + jsxImportSource hono/jsx
  minifySyntax: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: {
    'import.meta.url': '__importMetaUrl',
    'import.meta.filename': '__filename',
    'import.meta.dirname': '__dirname',
  },
});
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle  ${relative(root, bundle)}  ${mb(statSync(bundle).size)}  (${inputs} inputs)`);

// 2. Assets: explicit files plus every file under the asset directories.
const assets: Record<string, string> = {};
for (const [key, path] of Object.entries(config.assets)) assets[key] = resolve(root, path);
for (const dir of config.assetDirs) {
  for (const file of walk(resolve(root, dir))) assets[relative(root, file).split('\\').join('/')] = file;
}

// 3. Blob, made by the same Node binary that will run it (the blob is version-specific).
const blob = join(work, 'sea-prep.blob');
const seaConfig = join(work, 'sea-config.json');
writeFileSync(
  seaConfig,
  JSON.stringify(
    { main: bundle, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache, assets },
    null,
    2,
  ),
);
execFileSync(nodeBinary, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });

// 4. Copy the binary and inject. Remove first: overwriting a running binary fails (ETXTBSY).
mkdirSync(dirname(output), { recursive: true });
rmSync(output, { force: true });
copyFileSync(nodeBinary, output);
chmodSync(output, 0o755);
// postject is CommonJS with no types; its API avoids spawning another process.
const { inject } = createRequire(import.meta.url)('postject') as {
  inject(file: string, name: string, data: Buffer, opts: { sentinelFuse: string }): Promise<void>;
};
await inject(output, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
});

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`binary  ${relative(root, output)}  ${mb(statSync(output).size)}  (${Object.keys(assets).length} assets, code cache ${useCodeCache ? 'on' : 'off'}, ${seconds}s)`);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
