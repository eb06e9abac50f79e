// Builds the single executable described by build.config.ts with Node's SEA mechanism:
// esbuild bundle (CommonJS) -> sea-config.json -> `node --experimental-sea-config` blob ->
// copy of the Node 24 binary -> postject. Offline: nothing is downloaded.
//   npm run build [-- --entry src/other.ts] [--out dist/x] [--code-cache] [--keep]
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import config from '../build.config.ts';

const root = resolve(import.meta.dirname, '..');
const started = performance.now();
const { values: args } = parseArgs({
  allowNegative: true,
  options: {
    entry: { type: 'string' },
    out: { type: 'string' },
    'code-cache': { type: 'boolean' }, // --no-code-cache turns it off
    keep: { type: 'boolean' }, // keep the scratch dir (bundle, sea-config.json, blob) to inspect it
  },
});
const entry = resolve(root, args.entry ?? config.entry);
const output = resolve(root, args.out ?? config.output);
// Scratch dir outside the project on purpose: inside a SEA, an import() the bundle could not
// resolve is looked up on disk relative to the bundle's build-time path, so a bundle under
// the project would silently load packages from its node_modules when the binary runs on
// the build machine (and fail elsewhere). From a fresh temp dir it fails everywhere alike.
const work = mkdtempSync(join(tmpdir(), 'habar-sea-'));
const nodeBinary = resolve(root, config.node.binary);
const useCodeCache = args['code-cache'] ?? config.useCodeCache;
const nodeVersion = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
if (!nodeVersion.startsWith(`v${config.node.version}.`)) {
  throw new Error(`${config.node.binary} is ${nodeVersion}, build.config.ts wants Node ${config.node.version}`);
}

// 1. Bundle. A SEA main script must be one CommonJS file, and its `require` loads only
// built-in modules, so everything else is bundled (better-sqlite3's JS included; its addon
// is an asset loaded by src/lib/sea.ts). import.meta is empty in CJS output, so it is
// rebuilt from __filename (which is the executable's path inside a SEA). Inside a SEA
// process.argv[1] is the executable, not main.*, so src/main.ts also checks __HABAR_SEA__.
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
  external: config.optionalExternals,
  banner: {
    js: 'globalThis.__HABAR_SEA__ = true;\nconst __importMetaUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  define: {
    'import.meta.url': '__importMetaUrl',
    'import.meta.filename': '__filename',
    'import.meta.dirname': '__dirname',
  },
}).catch(() => process.exit(1)); // esbuild has already printed its errors; skip the stack trace
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle  ${mb(statSync(bundle).size)}  (${inputs} inputs, ${result.warnings.length} warnings)`);

// 2. Assets: explicit files, worker-thread bundles, and every file under the asset directories.
const assets: Record<string, string> = {};
for (const [key, workerEntry] of Object.entries(config.workers)) {
  // A worker thread in a SEA is started from source text (eval), so it is one CommonJS file too.
  const file = join(work, key.split('/').join('_'));
  await build({
    entryPoints: [resolve(root, workerEntry)], outfile: file, bundle: true, platform: 'node', target: 'node24', format: 'cjs',
    tsconfig: join(root, 'tsconfig.json'), minifySyntax: true, legalComments: 'none', logLevel: 'warning',
  }).catch(() => process.exit(1));
  assets[key] = file;
  console.log(`worker  ${key}  ${mb(statSync(file).size)}`);
}
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
// The registry's Node binary carries its symbol table and debug info (~18 MB). Addons link
// against .dynsym, which strip keeps; only native crash traces lose their symbol names.
if (config.strip) {
  try {
    execFileSync('strip', [output]);
  } catch {
    console.warn('strip (binutils) not found or failed: the binary keeps its debug info');
  }
}
// postject is CommonJS with no types; its API avoids spawning another process.
const { inject } = createRequire(import.meta.url)('postject') as {
  inject(file: string, name: string, data: Buffer, opts: { sentinelFuse: string }): Promise<void>;
};
await inject(output, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
});

if (args.keep) console.log(`kept    ${work}`);
else rmSync(work, { recursive: true, force: true });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`binary  ${relative(root, output)}  ${mb(statSync(output).size)}  (node ${nodeVersion}, ${Object.keys(assets).length} assets, code cache ${useCodeCache ? 'on' : 'off'}, ${seconds}s)`);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
