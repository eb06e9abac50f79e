// Runs the real CLI (`node --import tsx src/main.ts …`) as a child process, for tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const LOCAL_NODE = path.join(ROOT, 'node_modules/.bin/node');
const NODE = fs.existsSync(LOCAL_NODE) ? LOCAL_NODE : process.execPath;

/** The parent's environment without HABAR_* (so a developer's settings never leak into a test), plus `env`. */
function childEnv(env: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('HABAR_')) out[k] = v;
  return { ...out, ...env };
}

function spawnHabar(args: string[], env?: Record<string, string>): ChildProcess {
  return spawn(NODE, ['--import', 'tsx', path.join(ROOT, 'src/main.ts'), ...args], { cwd: ROOT, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one command to its end; `stdin` is written and closed. */
export function runHabar(args: string[], opts: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawnHabar(args, opts.env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end(opts.stdin ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`habar ${args.join(' ')} did not finish\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningHabar {
  child: ChildProcess;
  url: string;
  /** The one-time admin password line, when this start printed one. */
  adminPassword?: string;
  stdout(): string;
  stderr(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `habar serve …` and resolves once it printed `listening: <url>` (and the admin password line, if any). */
export function startHabar(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunningHabar> {
  const child = spawnHabar(['serve', '--port', '0', ...args], opts.env);
  child.stdin!.end();
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`habar serve did not start\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`habar serve exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
    child.stdout!.on('data', (d) => {
      stdout += d;
      const url = stdout.match(/^listening: (\S+)$/m)?.[1];
      // On an empty data dir the password line follows at once; give it a moment to arrive.
      if (url) setTimeout(() => {
        clearTimeout(timer);
        resolve({
          child, url,
          adminPassword: stdout.match(/^admin password: (\S+)$/m)?.[1],
          stdout: () => stdout,
          stderr: () => stderr,
          stop(signal: NodeJS.Signals = 'SIGTERM') {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }, 50);
    });
  });
}

/** Runs the CLI dispatcher in this process (same code as the binary, without the start-up cost of a child). */
export async function runHabarInProcess(args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}): Promise<CliResult> {
  const { runCli } = await import('../main.ts');
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _enc, done) { append(String(chunk)); done(); } });
  const code = await runCli(args, {
    env: opts.env ?? {},
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
  });
  return { code, stdout, stderr };
}
