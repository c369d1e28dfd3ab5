import chalk from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageStartEvent, PullEvent } from '../../src/events/pull-events.ts';
import { loadSnapshot, PROBE_BOARD } from '../fixtures/tui/board-snapshots.ts';
import { imagePull, stream, syntheticRun } from '../fixtures/tui/pull-events.ts';
import { KEYS, stripAnsi, terminal, tick, until } from './helpers/fake-terminal.ts';

// Ink reads CI once, when first loaded (is-in-ci), and under CI draws only the final frame. A person's
// terminal is never CI (shouldUseTui says so), and these tests watch live frames, so Ink is loaded with
// CI unset even when the suite itself runs under CI=true.
const savedCi = process.env['CI'];
delete process.env['CI'];
const { renderLoad, renderProbe, renderPull } = await import('../../cli/tui/render.tsx');
if (savedCi !== undefined) process.env['CI'] = savedCi;

const ENV = { NO_COLOR: '1' };

/** 1,000 images that have started and are each trying their first mirror. */
function thousandInFlight(): PullEvent[] {
  const events: PullEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    const name = `quay.io/org/app-${String(i).padStart(4, '0')}:1`;
    events.push(...imagePull(name, `app-${i}:1`, [{ location: 'mirror1.example.com/org', mirror: true, outcome: 'ok' }], i).slice(0, 2));
  }
  return events;
}

/** Yields the items, then waits until released (an engine with work still in flight). */
async function* held<T>(items: T[], release: Promise<void>, signal?: AbortSignal): AsyncGenerator<T> {
  yield* items;
  await Promise.race([release, new Promise((r) => signal?.addEventListener('abort', r))]);
}

describe('renderPull', () => {
  let level = chalk.level;
  afterEach(() => {
    chalk.level = level;
  });

  it('draws the run at 80×24, closes when the stream ends and prints the summary', async () => {
    const { stdout, stdin } = terminal(80, 24);
    const summary = await renderPull(stream(syntheticRun(14)), { title: 'demo', stdout, stdin, env: ENV });
    expect(summary).toMatchObject({ images: 14, ok: 12, failed: 2, cancelled: false, unfinished: 0 });
    const all = stdout.all();
    expect(all).toContain('pullpath · demo');
    expect(all).toMatch(/done after [\d.]+m?s: 14 images, 12 ok, 2 failed · 30 attempts · 12 failed over/);
    expect(all).toContain('  ✗ quay.io/org/app-0006:1.6: (Mirrors also failed:');
    for (const line of all.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('renders only a window of rows with 1,000 images in flight, within 24 lines', async () => {
    const { stdout, stdin } = terminal(80, 24);
    let release!: () => void;
    const abort = new AbortController();
    const run = renderPull(held(thousandInFlight(), new Promise<void>((r) => (release = r)), abort.signal), { stdout, stdin, env: ENV, abort });
    await until(() => stdout.lastFrame().includes('1000 images'));
    const frame = stdout.lastFrame();
    const rows = frame.split('\n').filter((l) => /app-\d{4}/.test(l));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(24);
    expect(frame.trimEnd().split('\n').length).toBeLessThanOrEqual(23); // one short of the screen, so Ink never scrolls
    expect(frame).toMatch(/↓ \d{3} more/);
    expect(frame).toContain('1000 images: 0 ok, 0 failed, 1000 running');
    stdin.write('G');
    await until(() => /› \S quay\.io\/org\/app-0999/.test(stdout.lastFrame()));
    expect(stdout.lastFrame()).toMatch(/↑ \d{3} more/);
    release();
    stdin.write('q');
    await run;
  });

  it('q aborts the engine through the AbortController and reports a cancelled run', async () => {
    const { stdout, stdin } = terminal(80, 24);
    const abort = new AbortController();
    const events = imagePull('quay.io/org/app:1', 'app:1', [{ location: 'quay.io/org', mirror: false, outcome: 'ok' }]).slice(0, 2);
    const run = renderPull(held(events, new Promise(() => undefined), abort.signal), { stdout, stdin, env: ENV, abort, graceMs: 500 });
    await until(() => stdout.lastFrame().includes('quay.io/org/app:1'));
    expect(abort.signal.aborted).toBe(false);
    stdin.write('q');
    const summary = await run;
    expect(abort.signal.aborted).toBe(true);
    expect(summary).toMatchObject({ cancelled: true, unfinished: 1 });
    expect(stdout.all()).toMatch(/cancelled after [\d.]+m?s: 1 image, 0 ok, 0 failed, 1 unfinished/);
  });

  it('Ctrl-C quits too, and closes after the grace period even if the engine ignores the abort', async () => {
    const { stdout, stdin } = terminal(80, 24);
    const abort = new AbortController();
    const events = syntheticRun(1).slice(0, 2);
    const run = renderPull(held(events, new Promise(() => undefined)), { stdout, stdin, env: ENV, abort, graceMs: 50 });
    await until(() => stdout.lastFrame().includes('app-0000'));
    stdin.write(KEYS.ctrlC);
    const summary = await run;
    expect(summary.cancelled).toBe(true);
    expect(abort.signal.aborted).toBe(true);
  });

  it('stops when the outside signal fires, like q', async () => {
    const { stdout, stdin } = terminal(80, 24);
    const outside = new AbortController();
    const run = renderPull(held(syntheticRun(1).slice(0, 2), new Promise(() => undefined)), { stdout, stdin, env: ENV, signal: outside.signal, graceMs: 20 });
    await until(() => stdout.lastFrame().includes('app-0000'));
    outside.abort();
    expect((await run).cancelled).toBe(true);
  });

  it('keeps the screen open after the stream ends when asked, until q', async () => {
    const { stdout, stdin } = terminal(80, 24);
    let settled = false;
    const run = renderPull(stream(syntheticRun(2)), { stdout, stdin, env: ENV, keepOpen: true }).then((s) => ((settled = true), s));
    await until(() => /^pullpath\s+done$/m.test(stdout.lastFrame()));
    await tick(50);
    expect(settled).toBe(false);
    stdin.write('q');
    expect((await run).cancelled).toBe(false);
  });

  it('closes by itself when stdin is not a terminal (no q can arrive), and its footer offers no keys', async () => {
    const { stdout, stdin } = terminal(80, 24);
    stdin.isTTY = false; // `pullpath pull … < /dev/null` at a terminal
    const summary = await renderPull(stream(syntheticRun(2)), { stdout, stdin, env: ENV, keepOpen: true, printSummary: false });
    expect(summary.cancelled).toBe(false);
    expect(stdout.lastFrame()).toContain('no keys: stdin is not a terminal · the report follows when the run ends');
    expect(stdout.all()).not.toContain('q quit');
  }, 10_000);

  it('shows why a mirror was skipped, whole and wrapped within 80 columns, without pressing a key', async () => {
    const { stdout, stdin } = terminal(80, 24);
    const events = imagePull('quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64', 'ocp-release:4.16.0-x86_64', [{ location: 'quay.io/openshift-release-dev', mirror: false, outcome: 'ok' }]);
    (events[0] as ImageStartEvent).skipped = [
      { location: 'mirror.corp.example.com:5000/ocp4/release', reason: 'digest-only mirror skipped for a tag reference (pull-from-mirror = "digest-only")' },
    ];
    await renderPull(stream(events), { stdout, stdin, env: ENV, printSummary: false });
    const frame = stdout.lastFrame();
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const note = frame.split('\n').filter((l) => l.startsWith('! skipped') || l.startsWith('    ')).map((l) => l.trim()).join(' ');
    expect(note).toBe('! skipped mirror.corp.example.com:5000/ocp4/release: digest-only mirror skipped for a tag reference (pull-from-mirror = "digest-only")');
  });

  it('shows expectations from a stream of lists, the last one winning', async () => {
    const { stdout, stdin } = terminal(100, 30);
    async function* exps() {
      yield [{ name: 'served by mirror 2', met: null }];
      yield [{ name: 'served by mirror 2', met: true, detail: 'mirror2.example.com' }];
    }
    const summary = await renderPull(stream(syntheticRun(2)), { stdout, stdin, env: ENV, expectations: exps() });
    expect(summary.expectations).toEqual({ met: 1, notMet: 0, pending: 0, total: 1 });
    expect(stdout.all()).toContain('✓ served by mirror 2 — mirror2.example.com');
  });

  it('rethrows what the stream threw, after restoring the terminal', async () => {
    const { stdout, stdin } = terminal(80, 24);
    async function* broken(): AsyncGenerator<PullEvent> {
      yield* syntheticRun(1);
      throw new Error('engine exploded');
    }
    await expect(renderPull(broken(), { stdout, stdin, env: ENV })).rejects.toThrow('engine exploded');
  });

  it('writes colour codes normally and none under NO_COLOR', async () => {
    chalk.level = 1; // the test runner's stdout is not a terminal, so force the colour level Ink would use on one
    const coloured = terminal(80, 24);
    await renderPull(stream(syntheticRun(7)), { ...coloured, env: {}, printSummary: false });
    expect(coloured.stdout.writes.join('')).toMatch(/\u001B\[3[1-9]m/);
    const plain = terminal(80, 24);
    await renderPull(stream(syntheticRun(7)), { ...plain, env: { NO_COLOR: '1' }, printSummary: false });
    expect(plain.stdout.writes.join('')).not.toMatch(/\u001B\[(3[0-9]|9[0-7]|1|2)m/);
  });

  it('follows a terminal resize', async () => {
    const { stdout, stdin } = terminal(80, 24);
    const run = renderPull(stream(syntheticRun(3)), { stdout, stdin, env: ENV, keepOpen: true });
    await until(() => stdout.lastFrame().includes('3 images'));
    stdout.resize(140, 30);
    stdin.write(KEYS.enter);
    await until(() => /reference\s+endpoint\s+outcome/.test(stdout.lastFrame()));
    expect(Math.max(...stdout.lastFrame().split('\n').map((l) => l.length))).toBeGreaterThan(80);
    stdin.write('q');
    await run;
  });
});

describe('renderProbe and renderLoad', () => {
  it('renderProbe shows the board and returns the last snapshot', async () => {
    const { stdout, stdin } = terminal(80, 24);
    async function* snaps() {
      yield PROBE_BOARD;
    }
    const summary = await renderProbe(snaps(), { title: 'probe', stdout, stdin, env: ENV });
    expect(summary).toMatchObject({ snapshots: 1, cancelled: false });
    expect(summary.last).toBe(PROBE_BOARD);
    expect(stripAnsi(stdout.all())).toMatch(/quay\.io\s+✗ down/);
  });

  it('renderLoad is cancelled with q and aborts the load engine', async () => {
    const { stdout, stdin } = terminal(80, 24);
    const abort = new AbortController();
    async function* snaps() {
      yield loadSnapshot(1000);
      await new Promise((r) => abort.signal.addEventListener('abort', r));
    }
    const run = renderLoad(snaps(), { title: 'load', stdout, stdin, env: ENV, abort });
    await until(() => stdout.lastFrame().includes('pulls in'));
    stdin.write('q');
    const summary = await run;
    expect(summary.cancelled).toBe(true);
    expect(abort.signal.aborted).toBe(true);
    expect(stdout.lastFrame()).toMatch(/cancelled · 1\.0 s \/ 12\.0 s/);
  });
});
