/**
 * How long a pull engine's event stream takes to drain with the TUI attached, against a plain
 * consumer: 1,000 images × 3 attempts (two mirrors fail, the primary serves: 8 events per image).
 * Prints figures; it is not a test.
 *
 *   npx tsx bench/tui-render.tsx [images]
 *
 * Four terminals: none (a for-await loop that only counts), the TUI on a fast 80×24 terminal, the TUI on a
 * slow blocking one (every write busy-waits 5 ms), and the TUI on a slow terminal with non-blocking writes
 * (5 ms per write to catch up; the TUI's pacing holds frames while it is behind, as on a real TTY where the
 * TUI switches stdout to non-blocking writes). The
 * engine is simulated, in three paces: a burst (no yields), yielding every 20 events (setImmediate),
 * and spread over time (a 1 ms timer every 20 events, ≈ 0.5 s for 1,000 images), as network I/O would.
 */
import { EventEmitter } from 'node:events';
import type { PullEvent } from '../src/events/pull-events.ts';
import { renderPull } from '../cli/tui/render.tsx';
import { imagePull } from '../test/fixtures/tui/pull-events.ts';

const IMAGES = Number(process.argv[2] ?? 1000);
const events: PullEvent[] = [];
for (let i = 0; i < IMAGES; i++) {
  events.push(
    ...imagePull(`quay.io/org/app-${i}:1`, `app-${i}:1`, [
      { location: 'mirror1.example.com:5000/org', mirror: true, outcome: 'failed', httpStatus: 503, errorClass: 'server-error', durationMs: 2 },
      { location: 'mirror2.example.com/org', mirror: true, outcome: 'failed', durationMs: 3 },
      { location: 'quay.io/org', mirror: false, outcome: 'ok', durationMs: 4 },
    ], i),
  );
}
type Pace = 'burst' | 'immediate' | 'timer';

/**
 * A fake 80×24 terminal. `blocking`: every write busy-waits `delayMs` (a TTY in Node's default blocking mode on
 * Linux). Otherwise writes are accepted at once and the terminal takes `delayMs` per write to catch up,
 * reporting `writableNeedDrain` meanwhile (a TTY switched to non-blocking writes, as the TUI does).
 */
class NullTerminal extends EventEmitter {
  readonly isTTY = true;
  columns = 80;
  rows = 24;
  writes = 0;
  bytes = 0;
  private busyUntil = 0;
  constructor(
    private readonly delayMs: number,
    private readonly blocking = true,
  ) {
    super();
  }
  get writableNeedDrain(): boolean {
    return !this.blocking && performance.now() < this.busyUntil;
  }
  write = (chunk: string): boolean => {
    this.writes += 1;
    this.bytes += chunk.length;
    if (this.delayMs > 0 && this.blocking) {
      const end = performance.now() + this.delayMs;
      while (performance.now() < end) {
        /* a terminal that blocks the writer */
      }
    } else if (this.delayMs > 0) {
      this.busyUntil = Math.max(performance.now(), this.busyUntil) + this.delayMs;
      setTimeout(() => this.emit('drain'), this.busyUntil - performance.now());
      return false;
    }
    return true;
  };
}

class NullInput extends EventEmitter {
  isTTY = false;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): null => null;
}

/** The simulated engine: records when it emitted its first and last event. */
function engine(pace: Pace): { source: AsyncIterable<PullEvent>; drained: Promise<number> } {
  let done!: (ms: number) => void;
  const drained = new Promise<number>((r) => (done = r));
  async function* source(): AsyncGenerator<PullEvent> {
    const t0 = performance.now();
    for (let i = 0; i < events.length; i++) {
      if (pace === 'immediate' && i % 20 === 0) await new Promise((r) => setImmediate(r));
      if (pace === 'timer' && i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
      yield events[i]!;
    }
    done(performance.now() - t0);
  }
  return { source: source(), drained };
}

async function plain(pace: Pace): Promise<number> {
  const e = engine(pace);
  let n = 0;
  for await (const _ of e.source) n += 1;
  if (n !== events.length) throw new Error('lost events');
  return e.drained;
}

async function withTui(pace: Pace, delayMs: number, blocking = true): Promise<{ drainMs: number; totalMs: number; writes: number; kb: number }> {
  const e = engine(pace);
  const stdout = new NullTerminal(delayMs, blocking);
  const t0 = performance.now();
  const summary = await renderPull(e.source, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new NullInput() as unknown as NodeJS.ReadStream,
    printSummary: false,
    env: { NO_COLOR: '1' },
  });
  if (summary.images !== IMAGES) throw new Error(`expected ${IMAGES} images, got ${summary.images}`);
  return { drainMs: await e.drained, totalMs: performance.now() - t0, writes: stdout.writes, kb: stdout.bytes / 1024 };
}

const f = (ms: number): string => `${ms.toFixed(1).padStart(8)} ms`;
console.log(`tui-render: ${IMAGES} images, ${events.length} events, node ${process.version}`);
const LABEL: Record<Pace, string> = {
  burst: 'burst engine (no yields)',
  immediate: 'engine yielding every 20 events (setImmediate)',
  timer: 'engine spread over time (1 ms timer every 20 events)',
};
for (const pace of ['burst', 'immediate', 'timer'] as const) {
  // Warm up module loading and JIT once per mode, then measure.
  await plain(pace);
  await withTui(pace, 0);
  const base = await plain(pace);
  const fast = await withTui(pace, 0);
  const slow = await withTui(pace, 5);
  const paced = await withTui(pace, 5, false);
  console.log(`\n${LABEL[pace]}`);
  console.log(`  no TUI (baseline)      drain ${f(base)}`);
  console.log(`  TUI, fast terminal     drain ${f(fast.drainMs)}   view closed after ${f(fast.totalMs)}   ${fast.writes} writes, ${fast.kb.toFixed(0)} KiB`);
  console.log(`  TUI, slow blocking tty drain ${f(slow.drainMs)}   view closed after ${f(slow.totalMs)}   ${slow.writes} writes, ${slow.kb.toFixed(0)} KiB`);
  console.log(`  TUI, slow tty, paced   drain ${f(paced.drainMs)}   view closed after ${f(paced.totalMs)}   ${paced.writes} writes, ${paced.kb.toFixed(0)} KiB`);
}
