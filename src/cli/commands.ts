import type { Writable } from 'node:stream';

/** What a CLI command gets: parsed flags, positionals, the environment and its output streams. */
export interface CliIo {
  flags: Record<string, string>;
  positionals: string[];
  env: Record<string, string | undefined>;
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Flags this command accepts besides the boot options. */
  flags?: string[];
  run(io: CliIo): Promise<number>;
}

export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
