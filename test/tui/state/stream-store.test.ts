import { describe, expect, it } from 'vitest';
import { createStreamStore, createValueStore } from '../../../cli/tui/state/stream-store.ts';

const sum = (s: number, batch: readonly number[]): number => batch.reduce((a, b) => a + b, s);

async function* numbers(n: number, log?: number[]): AsyncGenerator<number> {
  for (let i = 1; i <= n; i++) {
    log?.push(i);
    yield i;
  }
}

describe('createStreamStore', () => {
  it('drains the stream without waiting for commits, then commits the rest when it ends', async () => {
    const batches: number[] = [];
    const store = createStreamStore(numbers(1000), (s, b: readonly number[]) => (batches.push(b.length), sum(s, b)), 0, { flushMs: 10_000 });
    await store.done;
    expect(store.received()).toBe(1000);
    expect(store.getSnapshot()).toBe(500_500);
    // With a 10 s commit period the 1,000 items land in one batch: the reducer never ran per item.
    expect(batches).toEqual([1000]);
  });

  it('commits at most once per period while items keep coming', async () => {
    async function* slow(): AsyncGenerator<number> {
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 5));
        yield 1;
      }
    }
    let commits = 0;
    const store = createStreamStore(slow(), (s, b: readonly number[]) => (commits++, sum(s, b)), 0, { flushMs: 40 });
    store.subscribe(() => undefined);
    await store.done;
    expect(store.getSnapshot()).toBe(20);
    expect(commits).toBeLessThan(20);
    expect(commits).toBeGreaterThanOrEqual(1);
  });

  it('holds scheduled commits while the terminal is behind, still consuming every item, and commits once it catches up', async () => {
    let terminalBehind = true;
    let endStream!: () => void;
    const streamEnds = new Promise<void>((r) => (endStream = r));
    async function* paced(): AsyncGenerator<number> {
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 5));
        yield 1;
      }
      await streamEnds; // the engine is still running: only scheduled commits can happen
    }
    let commits = 0;
    const store = createStreamStore(paced(), (s, b: readonly number[]) => (commits++, sum(s, b)), 0, { flushMs: 5, holdWhile: () => terminalBehind });
    await new Promise((r) => setTimeout(r, 120));
    // The engine's items were all taken while no frame could be committed.
    expect(store.received()).toBe(10);
    expect(commits).toBe(0);
    terminalBehind = false;
    await new Promise((r) => setTimeout(r, 40));
    expect(commits).toBe(1);
    expect(store.getSnapshot()).toBe(10);
    endStream();
    await store.done;
  });

  it('commits at the end of the stream even while held (the final frame is never lost)', async () => {
    const store = createStreamStore(numbers(5), sum, 0, { flushMs: 5, holdWhile: () => true });
    await store.done;
    expect(store.getSnapshot()).toBe(15);
  });

  it('notifies subscribers on each commit', async () => {
    const store = createStreamStore(numbers(3), sum, 0, { flushMs: 0 });
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.getSnapshot()));
    await store.done;
    expect(seen.slice(0, 3)).toEqual([1, 3, 6]);
  });

  it('records an error the stream throws and still commits what came before', async () => {
    async function* broken(): AsyncGenerator<number> {
      yield 5;
      throw new Error('engine failed');
    }
    const store = createStreamStore(broken(), sum, 0);
    await store.done;
    expect(store.getSnapshot()).toBe(5);
    expect((store.error() as Error).message).toBe('engine failed');
  });

  it('stops consuming and closes the iterator when stopped', async () => {
    let closed = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* endless(): AsyncGenerator<number> {
      try {
        yield 1;
        await gate;
        for (;;) yield 1;
      } finally {
        closed = true;
      }
    }
    const store = createStreamStore(endless(), sum, 0, { flushMs: 0 });
    await new Promise((r) => setTimeout(r, 10));
    store.stop();
    release();
    await store.done;
    await new Promise((r) => setTimeout(r, 10));
    expect(store.getSnapshot()).toBeLessThanOrEqual(2);
    expect(closed).toBe(true);
  });
});

describe('createValueStore', () => {
  it('notifies only on a change', () => {
    const v = createValueStore('running');
    let calls = 0;
    v.subscribe(() => calls++);
    v.set('running');
    v.set('done');
    expect(calls).toBe(1);
    expect(v.getSnapshot()).toBe('done');
  });
});
