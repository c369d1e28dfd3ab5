/**
 * One run of a command, from the process's point of view: a `signal` that fires when the user presses
 * Ctrl-C (SIGINT) or when nobody reads the output any more (EPIPE on stdout or stderr: `pullpath … | head`),
 * and the exit code that follows from why the run stopped. Every command gets this signal from main.ts, so
 * no command installs its own SIGINT handler or EPIPE guard.
 *
 * Exit codes, as a shell reports them for jq and skopeo:
 * - 130 after Ctrl-C (128 + SIGINT), once the command has printed its summary;
 * - 141 when the output was closed (128 + SIGPIPE). jq and skopeo (Go: a write to a broken stdout/stderr
 *   raises SIGPIPE) are killed by SIGPIPE, which `$?` / `${PIPESTATUS[0]}` show as 141 and `set -o pipefail`
 *   treats as a failure. Node ignores SIGPIPE (it gets EPIPE errors instead) and cannot die of it, so it
 *   exits 141 itself: the same status, without a stack trace.
 * A second Ctrl-C exits 130 at once, for a user who will not wait for the summary.
 */

import { writeSync } from 'node:fs';

export const EXIT_INTERRUPTED = 130;
export const EXIT_OUTPUT_CLOSED = 141;

export type StopCause = 'interrupted' | 'output-closed';

/** Why a run was stopped: the `reason` of the run's signal (an Error, so stack-less callers can still print it). */
export class RunStopped extends Error {
  constructor(readonly why: StopCause) {
    super(why === 'interrupted' ? 'interrupted (Ctrl-C)' : 'output closed');
    this.name = 'AbortError'; // what an abort looks like to code that checks names (fetch, undici, streams)
  }
}

export interface RunContext {
  /** Fires on Ctrl-C or a closed output; its reason is a RunStopped. Commands pass it to the work they start. */
  readonly signal: AbortSignal;
}

export class RunLifecycle implements RunContext {
  readonly #controller = new AbortController();
  #cause: StopCause | null = null;
  #interrupts = 0;

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the run was stopped, or null. */
  get cause(): StopCause | null {
    return this.#cause;
  }

  /** Stops the run (idempotent: the first cause wins). */
  stop(cause: StopCause): void {
    if (this.#cause !== null) return;
    this.#cause = cause;
    this.#controller.abort(new RunStopped(cause));
  }

  /** @internal SIGINT: the first stops the run, the second ends the process. */
  interrupt(): void {
    this.#interrupts++;
    if (this.#interrupts > 1) process.exit(EXIT_INTERRUPTED);
    this.stop('interrupted');
  }

  /** The command's exit code, overridden by why the run was stopped. */
  exitCode(code: number): number {
    if (this.#cause === 'interrupted') return EXIT_INTERRUPTED;
    if (this.#cause === 'output-closed') return EXIT_OUTPUT_CLOSED;
    return code;
  }
}

let current: RunLifecycle | null = null;
/** The last run, kept after it ended: a write that fails after the command returned is judged by it. */
let last: RunLifecycle | null = null;
let guarded = false;

function onSigint(): void {
  current?.interrupt();
}
/** Marks the run's SIGINT handler for interruptRun, whichever copy of this module installed it. */
const RUN_SIGINT = Symbol.for('pullpath.run-sigint');
(onSigint as unknown as Record<symbol, boolean>)[RUN_SIGINT] = true;

/**
 * EPIPE (the reader went away) stops the run; any other write error too, since the output is lost either way.
 * Installed once per process and never removed: a late write after the command returned must not crash
 * with a stack trace either. After the error Node has destroyed the stream, so later writes are dropped quietly.
 */
function onOutputError(): void {
  const run = current ?? last;
  // A write fails asynchronously: the command may already have returned (resolve writes all at once), and
  // bin/pullpath.js set its code. The output is lost all the same: exit as jq would, unless Ctrl-C came first.
  if (run === null) {
    process.exitCode = EXIT_OUTPUT_CLOSED;
    return;
  }
  run.stop('output-closed');
  process.exitCode = run.exitCode(EXIT_OUTPUT_CLOSED);
}

/**
 * Starts a run: installs the SIGINT and closed-output handlers and returns the run's lifecycle. Call `end`
 * when the command has returned.
 */
export function startRun(): RunLifecycle {
  const run = new RunLifecycle();
  current = run;
  last = run;
  guardOutput();
  process.on('SIGINT', onSigint);
  return run;
}

/**
 * Installs the closed-output handler (once): from here on, EPIPE never crashes the process.
 * Each stream gets it when it is first used, not now: Node creates process.stdout and process.stderr on first
 * access, and the first one on a pipe costs about 3 ms of start-up (its net and stream modules), which a command
 * that writes its output with writeOutput (below) never needs to pay.
 */
export function guardOutput(): void {
  if (guarded) return;
  guarded = true;
  onFirstUse('stdout', (s) => s.on('error', onOutputError));
  onFirstUse('stderr', (s) => s.on('error', onOutputError));
}

/**
 * Calls `install` with process[name] when it is first read (now, if Node's lazy getter is not there to wrap).
 * The wrapper puts Node's own getter back at that first read, so later reads are Node's alone.
 */
function onFirstUse(name: 'stdout' | 'stderr', install: (stream: NodeJS.WriteStream) => void): void {
  const own = Object.getOwnPropertyDescriptor(process, name);
  if (own?.get === undefined || own.configurable !== true) {
    install(process[name]);
    return;
  }
  const nodeGetter = own.get;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: own.enumerable ?? true,
    get() {
      Object.defineProperty(process, name, own);
      const stream = nodeGetter.call(process) as NodeJS.WriteStream;
      install(stream);
      return stream;
    },
  });
}

/**
 * Writes a command's whole output to stdout synchronously, without creating process.stdout when nothing has
 * yet (see guardOutput): for commands that print once, at the end (resolve). A closed output ends the run as
 * EPIPE on the stream does (exit 141); a pipe that is full and non-blocking (EAGAIN) gets the rest through
 * process.stdout, which waits for the reader.
 */
export function writeOutput(text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') process.stdout.write(bytes.subarray(done));
    else onOutputError();
  }
}

/** Ends a run: SIGINT gets its default action back (kill the process) once the command is done. */
export function endRun(run: RunLifecycle): void {
  if (current === run) current = null;
  process.removeListener('SIGINT', onSigint);
}

/** An AbortController of a command's own (the TUI's `q` aborts it), also aborted when the run stops. */
export function linkedController(signal: AbortSignal): AbortController {
  const c = new AbortController();
  if (signal.aborted) c.abort(signal.reason);
  else signal.addEventListener('abort', () => c.abort(signal.reason), { once: true });
  return c;
}

/**
 * Ctrl-C pressed inside the TUI: in raw mode the terminal sends no SIGINT, only a key. A view that wants
 * Ctrl-C to mean what it means elsewhere (stop, summary, exit 130; twice: exit now) calls this.
 * It calls the SIGINT handler a run installed (startRun) instead of this module's own run: the TUI is a bundle of
 * its own (tui.mjs, bin/build-cli.mjs) with its own copy of this module, whose run is never the command's. Only
 * that handler: other SIGINT listeners (Ink's exit hook kills the process when it is alone) never see a key.
 * With no run in progress there is none, and nothing happens.
 */
export function interruptRun(): void {
  for (const listener of process.listeners('SIGINT')) {
    if ((listener as unknown as Record<symbol, boolean>)[RUN_SIGINT] === true) (listener as () => void)();
  }
}
