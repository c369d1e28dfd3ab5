/** Runs the real CLI (`node bin/pullpath.js …`) from the repository root and returns its exit code and output. */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` replaces the process environment when given (tests set HOME and drop CONTAINERS_REGISTRIES_CONF). */
export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['bin/pullpath.js', ...args], {
      cwd: repoRoot,
      timeout: opts.timeoutMs ?? 30_000,
      ...(opts.env ? { env: opts.env } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The process environment with HOME set to `home` and no registries.conf override, for hermetic runs. */
export function hermeticEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.CONTAINERS_REGISTRIES_CONF;
  return env;
}

export interface TimedRun extends CliResult {
  /** The signal that ended the process, if any (a crash on SIGINT's default action shows here). */
  signal: NodeJS.Signals | null;
  /** ms from spawn to the process's exit. */
  exitMs: number;
  /** ms from spawn to the last byte written on stdout (0 when nothing was written). */
  lastOutputMs: number;
}

export interface SpawnCliOptions {
  env?: NodeJS.ProcessEnv;
  /** Kill (SIGKILL) after this many ms: a hung process then shows as code -1. Default 60 s. */
  killAfterMs?: number;
  /** Called with each stdout chunk and the child (to signal it, or to close the read side of its stdout). */
  onStdout?: (chunk: string, child: import('node:child_process').ChildProcess, all: string) => void;
  /** Written to the child's standard input, which is then closed (default: no standard input). */
  stdin?: string;
}

/**
 * Spawns the real CLI (`node bin/pullpath.js …`) and measures when it exits and when it last wrote to stdout:
 * the process-lifetime tests (lingering sockets, closed pipes, SIGINT) need the process's own exit time.
 */
let spawned: import('node:child_process').ChildProcess | null = null;
/** The child of the latest spawnCli call (set synchronously by the call), to signal it from outside. */
export function lastSpawned(): import('node:child_process').ChildProcess | null {
  return spawned;
}

export function spawnCli(args: string[], opts: SpawnCliOptions = {}): Promise<TimedRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/pullpath.js', ...args], { cwd: repoRoot, stdio: [opts.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'], ...(opts.env ? { env: opts.env } : {}) });
  if (opts.stdin !== undefined) {
    child.stdin!.on('error', () => {}); // the child may exit (closed output) before it read everything
    child.stdin!.end(opts.stdin);
  }
  let stdout = '';
  let stderr = '';
  let lastOutputMs = 0;
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    stdout += d;
    lastOutputMs = performance.now() - t0;
    opts.onStdout?.(d, child, stdout);
  });
  spawned = child;
  child.stdout!.on('error', () => {});
  child.stderr!.on('data', (d: string) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      const exitMs = performance.now() - t0;
      // stderr may still be draining after 'exit': wait for the streams to close.
      let open = 2;
      const done = () => {
        if (--open === 0) resolve({ code: code ?? -1, signal, stdout, stderr, exitMs, lastOutputMs });
      };
      if (child.stdout!.destroyed) done();
      else child.stdout!.once('close', done);
      if (child.stderr!.destroyed) done();
      else child.stderr!.once('close', done);
    });
  });
}
