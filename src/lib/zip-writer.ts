import fs from 'node:fs';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

const encoder = new TextEncoder();
const bytes = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk);

/** One entry being written: push its content in chunks, then end it. */
export interface ZipEntry {
  write(chunk: string | Uint8Array): void;
  end(): void;
}

/**
 * Writes a ZIP archive to a file as it goes (fflate's streaming Zip), so an archive of any number
 * of rows never sits in memory whole. One entry at a time: end an entry before opening the next.
 * Entries are limited to 4 GiB each (fflate writes no ZIP64).
 */
export class ZipFileWriter {
  private readonly fd: number;
  private readonly zip: Zip;
  private failed: Error | undefined;
  private finished = false;
  private readonly done: Promise<void>;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w', 0o600);
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    this.done = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    this.zip = new Zip((err, data, final) => {
      if (err) { this.failed = err; reject(err); return; }
      try {
        fs.writeSync(this.fd, data);
      } catch (e) {
        this.failed = e as Error;
        reject(e as Error);
        return;
      }
      if (final) { this.finished = true; resolve(); }
    });
  }

  /** Opens an entry; `store` keeps it uncompressed (media that is compressed already). */
  open(name: string, opts: { store?: boolean; mtime?: Date } = {}): ZipEntry {
    const entry = opts.store ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
    if (opts.mtime) entry.mtime = opts.mtime;
    this.zip.add(entry);
    return {
      write: (chunk) => { this.check(); entry.push(bytes(chunk)); },
      end: () => { this.check(); entry.push(new Uint8Array(0), true); },
    };
  }

  /** A whole entry at once. */
  add(name: string, content: string | Uint8Array, opts: { store?: boolean; mtime?: Date } = {}): void {
    const e = this.open(name, opts);
    e.write(content);
    e.end();
  }

  /** An entry copied from a file on disk in chunks; false when the file is missing (left out). */
  async addFile(name: string, source: string, opts: { store?: boolean; mtime?: Date } = {}): Promise<boolean> {
    let stream: fs.ReadStream;
    try {
      await fs.promises.access(source, fs.constants.R_OK);
      stream = fs.createReadStream(source, { highWaterMark: 256 * 1024 });
    } catch {
      return false;
    }
    const e = this.open(name, opts);
    for await (const chunk of stream) e.write(chunk as Buffer);
    e.end();
    return true;
  }

  /** Writes the central directory, flushes and closes the file. */
  async close(): Promise<void> {
    try {
      this.check();
      this.zip.end();
      await this.done;
      fs.fsyncSync(this.fd);
    } finally {
      fs.closeSync(this.fd);
    }
  }

  /** Closes the file without finishing the archive (a failed export; the caller removes the file). */
  abort(): void {
    if (!this.finished) this.zip.terminate();
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
  }

  private check(): void {
    if (this.failed) throw this.failed;
  }
}
