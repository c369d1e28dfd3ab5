/**
 * The only Ink entry points: commands call renderPull / renderProbe / renderLoad with a
 * stream and get a summary back; they never touch JSX. Each view consumes its stream
 * eagerly (see stream-store.ts) and paces frames to the terminal (see terminalPacing), so a slow terminal
 * never slows the engine.
 *
 * @example
 *   const abort = new AbortController();
 *   const summary = await renderPull(pullImages(plan, { signal: abort.signal }), { title: 'demo', abort });
 *   return summary.failed > 0 || summary.cancelled ? 1 : 0;
 */
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';
import type { PullEvent } from '../../src/events/pull-events.ts';
import { BoardApp } from './components/BoardApp.tsx';
import { PullApp } from './components/PullApp.tsx';
import { ThemeContext } from './components/theme-context.ts';
import { initialBoardState, reduceLoadSnapshots, reduceProbeSnapshots, type BoardState } from './state/board-state.ts';
import { loadScreen } from './state/load-screen.ts';
import { probeScreen } from './state/probe-screen.ts';
import { reducePullEvents } from './state/pull-reducer.ts';
import type { RunPhase } from './state/pull-screen.ts';
import { initialPullState } from './state/pull-state.ts';
import { createStreamStore, createValueStore, type StreamStore, type ValueStore } from './state/stream-store.ts';
import type { ViewState } from './state/view-reducer.ts';
import { formatPullSummary, summarizePull, type PullRunSummary } from './summary.ts';
import { themeFromEnv } from './theme.ts';
import type { LoadBoardSnapshot, ProbeBoardSnapshot, ScenarioExpectation } from './view-models.ts';

export interface RenderOptions {
  title?: string;
  /** Aborted when the person quits (q, Ctrl-C), so the engine cancels its in-flight requests. */
  abort?: AbortController;
  /** An outside reason to stop (the command's own SIGINT handler, a deadline): behaves like q. */
  signal?: AbortSignal;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** For NO_COLOR; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Keep the screen open after the stream ends until q (default false: close when the stream ends). Honoured only
   * when keys can be read: with stdin not a terminal (`pullpath pull … < /dev/null` at a terminal) nothing could
   * ever close the view, so it closes when the run ends and its footer says that no keys are read.
   */
  keepOpen?: boolean;
  /** When the work began (performance.now()), if before this call: the elapsed time counts from there. */
  startedAt?: number;
  /** How long to wait for the engine to wind down after an abort before closing anyway (default 1000 ms). */
  graceMs?: number;
  /** Minimum time between state commits (default 100 ms). */
  flushMs?: number;
  /** Ink frame rate cap (default 10). */
  maxFps?: number;
  /** Print the text summary after the screen closes (default true). */
  printSummary?: boolean;
  /** Initial selection/expansion/filters (tests, `--failures-only`). */
  initialView?: Partial<ViewState>;
}

export interface PullRenderOptions extends RenderOptions {
  /** Scenario expectations: a fixed list, a promise of one, or a stream of updated lists (each replaces the last). */
  expectations?: readonly ScenarioExpectation[] | Promise<readonly ScenarioExpectation[]> | AsyncIterable<readonly ScenarioExpectation[]>;
}

export interface BoardRunSummary<S> {
  snapshots: number;
  last: S | null;
  cancelled: boolean;
  elapsedMs: number;
}

/**
 * The terminal must never slow the engine. On Linux a TTY stdout writes synchronously, so a slow terminal would
 * stall the event loop (and with it every pull): switch it to non-blocking writes for the life of the view, and
 * hold state commits (hence frames) while earlier frames are still queued for the terminal.
 */
function terminalPacing(out: NodeJS.WriteStream): { holdWhile: () => boolean; restore: () => void } {
  const handle = (out as unknown as { _handle?: { setBlocking?: (b: boolean) => number } })._handle;
  const canToggle = out.isTTY === true && typeof handle?.setBlocking === 'function';
  if (canToggle) handle!.setBlocking!(false);
  return {
    holdWhile: () => out.writableNeedDrain === true,
    // Blocking again before the summary is printed, so nothing is lost when the process exits.
    restore: () => {
      if (canToggle) handle!.setBlocking!(true);
    },
  };
}

export async function renderPull(events: AsyncIterable<PullEvent>, opts: PullRenderOptions = {}): Promise<PullRunSummary> {
  const startedAt = opts.startedAt ?? performance.now();
  const pacing = terminalPacing(opts.stdout ?? process.stdout);
  const store = createStreamStore(events, reducePullEvents, initialPullState(), { flushMs: opts.flushMs ?? 100, holdWhile: pacing.holdWhile });
  const expectations = createValueStore<readonly ScenarioExpectation[]>([]);
  // A failing expectation stream keeps the last list it sent; the pull view carries on.
  const expectationsDone = feedExpectations(opts.expectations, expectations).catch(() => undefined);
  const phase = createValueStore<RunPhase>('running');
  const cancelled = await runView(opts, store, phase, expectationsDone, pacing.restore, (onQuit) => (
    <PullApp
      store={store}
      expectations={expectations}
      phase={phase}
      onQuit={onQuit}
      clock={() => performance.now()}
      startedAt={startedAt}
      {...(opts.title !== undefined ? { title: opts.title } : {})}
      {...(opts.initialView !== undefined ? { initialView: opts.initialView } : {})}
    />
  ));
  const summary = summarizePull(store.getSnapshot(), expectations.getSnapshot(), cancelled, performance.now() - startedAt);
  if (opts.printSummary !== false) {
    const out = opts.stdout ?? process.stdout;
    out.write(formatPullSummary(summary, out.columns || 100, expectations.getSnapshot()) + '\n');
  }
  if (store.error() !== undefined) throw store.error();
  return summary;
}

export function renderProbe(snapshots: AsyncIterable<ProbeBoardSnapshot>, opts: RenderOptions = {}): Promise<BoardRunSummary<ProbeBoardSnapshot>> {
  return renderBoard(snapshots, reduceProbeSnapshots, probeScreen, opts);
}

export function renderLoad(snapshots: AsyncIterable<LoadBoardSnapshot>, opts: RenderOptions = {}): Promise<BoardRunSummary<LoadBoardSnapshot>> {
  return renderBoard(snapshots, reduceLoadSnapshots, loadScreen, opts);
}

async function renderBoard<S>(
  snapshots: AsyncIterable<S>,
  reduce: (s: BoardState<S>, b: readonly S[]) => BoardState<S>,
  layout: Parameters<typeof BoardApp<S>>[0]['layout'],
  opts: RenderOptions,
): Promise<BoardRunSummary<S>> {
  const startedAt = opts.startedAt ?? performance.now();
  const pacing = terminalPacing(opts.stdout ?? process.stdout);
  const store = createStreamStore(snapshots, reduce, initialBoardState<S>(), { flushMs: opts.flushMs ?? 100, holdWhile: pacing.holdWhile });
  const phase = createValueStore<RunPhase>('running');
  const cancelled = await runView(opts, store, phase, Promise.resolve(), pacing.restore, (onQuit) => (
    <BoardApp<S>
      store={store}
      phase={phase}
      layout={layout}
      onQuit={onQuit}
      {...(opts.title !== undefined ? { title: opts.title } : {})}
      {...(opts.initialView !== undefined ? { initialView: opts.initialView } : {})}
    />
  ));
  if (store.error() !== undefined) throw store.error();
  const board = store.getSnapshot();
  return { snapshots: board.snapshots, last: board.latest, cancelled, elapsedMs: performance.now() - startedAt };
}

/**
 * Mounts the view, waits for the stream to end or the person to quit, winds the engine down
 * through the AbortController, and unmounts after the last frame. Returns whether it was cancelled.
 */
async function runView<S>(
  opts: RenderOptions,
  store: StreamStore<S>,
  phase: ValueStore<RunPhase>,
  extraDone: Promise<void>,
  restoreTerminal: () => void,
  element: (onQuit: () => void) => ReactElement,
): Promise<boolean> {
  let quit!: () => void;
  const quitRequested = new Promise<'quit'>((resolve) => (quit = () => resolve('quit')));
  const onSignal = (): void => quit();
  if (opts.signal?.aborted) quit();
  opts.signal?.addEventListener('abort', onSignal, { once: true });

  const theme = themeFromEnv(opts.env ?? process.env);
  const instance: Instance = render(<ThemeContext.Provider value={theme}>{element(quit)}</ThemeContext.Provider>, {
    stdout: opts.stdout ?? process.stdout,
    stdin: opts.stdin ?? process.stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: opts.maxFps ?? 10,
  });

  let cancelled = false;
  const allDone = Promise.all([store.done, extraDone]).then(() => 'done' as const);
  const first = await Promise.race([allDone, quitRequested]);
  if (first === 'done') {
    phase.set('done');
    if (opts.keepOpen && canReadKeys(opts.stdin ?? process.stdin)) await quitRequested;
  } else {
    cancelled = !store.isDone();
    if (cancelled) {
      phase.set('cancelling');
      opts.abort?.abort();
      const grace = opts.graceMs ?? 1000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([store.done, new Promise<void>((r) => (timer = setTimeout(r, grace)))]);
      clearTimeout(timer);
      store.stop();
      phase.set('cancelled');
    } else {
      phase.set('done');
    }
  }
  opts.signal?.removeEventListener('abort', onSignal);
  store.flush();
  // Let React commit the last state before Ink writes its final frame.
  await new Promise((r) => setImmediate(r));
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  restoreTerminal();
  return cancelled;
}

/** Whether q can ever arrive: Ink reads keys only from a terminal in raw mode (as its isRawModeSupported). */
export function canReadKeys(stdin: NodeJS.ReadStream): boolean {
  return stdin.isTTY === true && typeof stdin.setRawMode === 'function';
}

/** Feeds expectations (list, promise or stream of lists) into the store; resolves when they are final. */
async function feedExpectations(
  source: PullRenderOptions['expectations'],
  target: ValueStore<readonly ScenarioExpectation[]>,
): Promise<void> {
  if (source === undefined) return;
  if (Array.isArray(source)) {
    target.set(source);
    return;
  }
  if (isAsyncIterable(source)) {
    for await (const list of source) target.set(list);
    return;
  }
  target.set(await (source as Promise<readonly ScenarioExpectation[]>));
}

function isAsyncIterable<T>(x: unknown): x is AsyncIterable<T> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}
