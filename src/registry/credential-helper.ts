/**
 * Docker credential helpers (`docker-credential-NAME get`), as containers/image 5.23 runs them through
 * docker-credential-helpers 0.6.4 client.Get: the server (the registry HOST, never a repository) on stdin,
 * `{"ServerURL","Username","Secret"}` on stdout. A failing helper's stdout, trimmed, is its message:
 * exactly `credentials not found in native keychain` means "none"; anything else is an error worded
 * `error getting credentials - err: exit status N, out: \`MESSAGE\``. Username `<token>` makes Secret an
 * identity (refresh) token. The helper's stderr goes to the user, as the runtime passes it through.
 *
 * pullpath adds a timeout (the runtime waits forever for a hanging helper) and keeps the process behind
 * `HelperRunner`, so that the lookup logic is testable without processes.
 */
import type { spawn as Spawn } from 'node:child_process';

/**
 * node:child_process, loaded at the first helper run: it pulls in dgram, net's socket list and more (a few ms of
 * every `pull`'s start-up), and most runs never start a credential helper.
 */
const spawn = ((...args: Parameters<typeof Spawn>) => process.getBuiltinModule('node:child_process').spawn(...args)) as typeof Spawn;

export const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';
export const DEFAULT_HELPER_TIMEOUT_MS = 10_000;

export interface HelperRun {
  /** Exit code; null when the process could not start or was killed. */
  exitCode: number | null;
  stdout: string;
  /** Set when the program did not run to an exit: not found on PATH, not executable, timed out. */
  startError?: string;
  timedOut?: boolean;
}

/** Runs `docker-credential-NAME ARG` with `input` on stdin. The one piece of I/O of the helper protocol. */
export interface HelperRunner {
  run(program: string, arg: 'get', input: string, timeoutMs: number): Promise<HelperRun>;
  /** Kills helpers still running (the run is over: nobody waits for them any more). */
  killAll?(): void;
}

/** What a helper answered; the secret stays in here (never formatted). */
export type HelperAnswer = { found: true; username: string; password: string; identityToken?: string } | { found: false };

/** A helper that failed: the runtime's wording (no secret: the helper's own message, as the runtime shows it). */
export class HelperError extends Error {
  constructor(
    message: string,
    readonly helper: string,
  ) {
    super(message);
    this.name = 'HelperError';
  }
}

/** The real runner: spawn on PATH, no shell, stderr passed through (as the runtime), killed at the timeout. */
export function spawnHelperRunner(opts: { env?: NodeJS.ProcessEnv; stderr?: (chunk: Buffer) => void } = {}): HelperRunner {
  const running = new Set<ReturnType<typeof spawn>>();
  return {
    killAll() {
      for (const c of running) c.kill('SIGKILL');
      running.clear();
    },
    run(program, arg, input, timeoutMs) {
      return new Promise((resolve) => {
        let stdout = '';
        let settled = false;
        const done = (r: HelperRun) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(r);
        };
        const child = spawn(program, [arg], { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
        running.add(child);
        child.on('exit', () => running.delete(child));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          done({ exitCode: null, stdout, timedOut: true, startError: `no answer within ${timeoutMs / 1000} s (killed)` });
        }, timeoutMs);
        timer.unref?.();
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (d: string) => {
          if (stdout.length < 1024 * 1024) stdout += d;
        });
        child.stderr.on('data', (d: Buffer) => (opts.stderr ?? ((c: Buffer) => process.stderr.write(c)))(d));
        child.on('error', (err: NodeJS.ErrnoException) => {
          // Go's exec wording for a program not on PATH.
          const msg = err.code === 'ENOENT' ? `exec: "${program}": executable file not found in $PATH` : `fork/exec ${program}: ${err.message}`;
          done({ exitCode: null, stdout: '', startError: msg });
        });
        child.on('close', (code) => done({ exitCode: code, stdout }));
        child.stdin.on('error', () => {}); // a helper that exits without reading stdin
        child.stdin.end(input);
      });
    },
  };
}

/** getAuthFromCredHelper: runs `docker-credential-NAME get` for `registry` (a host). */
export async function helperGet(runner: HelperRunner, helper: string, registry: string, timeoutMs = DEFAULT_HELPER_TIMEOUT_MS): Promise<HelperAnswer> {
  const program = `docker-credential-${helper}`;
  const r = await runner.run(program, 'get', registry, timeoutMs);
  if (r.startError !== undefined || r.exitCode !== 0) {
    const out = r.stdout.trim();
    if (r.startError === undefined && out === NOT_FOUND_MESSAGE) return { found: false };
    const err = r.startError ?? `exit status ${r.exitCode}`;
    throw new HelperError(`error getting credentials - err: ${err}, out: \`${r.timedOut ? '' : out}\``, helper);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    // Never quote the output: it may hold the secret.
    throw new HelperError(`${program} get: the answer on stdout is not JSON (${r.stdout.length} bytes)`, helper);
  }
  const o = (parsed ?? {}) as { Username?: unknown; Secret?: unknown };
  const username = typeof o.Username === 'string' ? o.Username : '';
  const secret = typeof o.Secret === 'string' ? o.Secret : '';
  // An empty answer is "no credentials" for the caller (the runtime compares with the zero value).
  if (!username && !secret) return { found: false };
  if (username === '<token>') return { found: true, username: '', password: '', identityToken: secret };
  return { found: true, username, password: secret };
}
