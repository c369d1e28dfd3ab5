/**
 * abort-watch: an attempt's requests watch its deadline signal without an EventTarget listener each (that cost
 * about 4 % of a 1,000-image `pull --images` process), with EventTarget's semantics kept: each watcher once, in
 * order, after the reason is set; one removed meanwhile is skipped; none after the abort; any other signal goes
 * through addEventListener as before. And end to end: a request and its pool, on an attempt's deadline signal,
 * add no EventTarget listener, and the request is still ended by the abort.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortWatched, unwatchAbort, watchAbort, watchableController, type AbortWatcher } from '../../src/registry/abort-watch.ts';
import { AttemptDeadline } from '../../src/pull/attempt-deadline.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { exchange } from '../../src/registry/transport.ts';

afterEach(() => vi.restoreAllMocks());

const recorder = (log: string[], name: string, signal: AbortSignal): AbortWatcher => ({
  handleEvent: () => log.push(`${name}:${String(signal.reason)}`),
});

describe('watchable controllers', () => {
  it('calls each watcher once, in the order they started, after the reason is set and after EventTarget listeners; no EventTarget listener is added', () => {
    const c = watchableController();
    const log: string[] = [];
    c.signal.addEventListener('abort', () => log.push(`listener:${String(c.signal.reason)}`));
    const add = vi.spyOn(c.signal, 'addEventListener');
    watchAbort(c.signal, recorder(log, 'a', c.signal));
    watchAbort(c.signal, recorder(log, 'b', c.signal));
    expect(add).not.toHaveBeenCalled();
    abortWatched(c, 'why');
    abortWatched(c, 'again'); // idempotent, as abort()
    expect(c.signal.aborted).toBe(true);
    expect(log).toEqual(['listener:why', 'a:why', 'b:why']);
  });

  it('skips a watcher that stopped watching, before the abort or during it (as EventTarget skips a removed listener)', () => {
    const c = watchableController();
    const log: string[] = [];
    const gone = recorder(log, 'gone', c.signal);
    const later = recorder(log, 'later', c.signal);
    watchAbort(c.signal, gone);
    unwatchAbort(c.signal, gone);
    watchAbort(c.signal, { handleEvent: () => (log.push('first'), unwatchAbort(c.signal, later)) });
    watchAbort(c.signal, later);
    abortWatched(c, 'x');
    expect(log).toEqual(['first']);
  });

  it('never calls a watcher added after the abort', () => {
    const c = watchableController();
    abortWatched(c, 'x');
    const w = { handleEvent: vi.fn() };
    watchAbort(c.signal, w);
    abortWatched(c, 'y');
    expect(w.handleEvent).not.toHaveBeenCalled();
  });

  it('a watcher that throws does not stop the others; its error is reported as EventTarget reports it (on the next tick)', () => {
    const c = watchableController();
    const ticks = vi.spyOn(process, 'nextTick').mockImplementation(() => undefined);
    const after = { handleEvent: vi.fn() };
    watchAbort(c.signal, {
      handleEvent: () => {
        throw new Error('boom');
      },
    });
    watchAbort(c.signal, after);
    abortWatched(c, 'x');
    expect(after.handleEvent).toHaveBeenCalledOnce();
    expect(ticks).toHaveBeenCalledOnce();
    expect((ticks.mock.calls[0]![1] as Error).message).toBe('boom');
  });

  it('any other signal goes through addEventListener (once) and removeEventListener, as before', () => {
    const c = new AbortController();
    const add = vi.spyOn(c.signal, 'addEventListener');
    const remove = vi.spyOn(c.signal, 'removeEventListener');
    const kept = { handleEvent: vi.fn() };
    const dropped = { handleEvent: vi.fn() };
    watchAbort(c.signal, kept);
    watchAbort(c.signal, dropped);
    unwatchAbort(c.signal, dropped);
    expect(add).toHaveBeenCalledWith('abort', kept, { once: true });
    expect(remove).toHaveBeenCalledWith('abort', dropped);
    c.abort();
    c.abort();
    expect(kept.handleEvent).toHaveBeenCalledOnce();
    expect(dropped.handleEvent).not.toHaveBeenCalled();
  });
});

describe("an attempt's deadline signal", () => {
  it('a request waiting on a server that never answers adds no EventTarget listener to it, and the deadline still ends the request at once', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((s) => sockets.add(s)); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dispatchers = createDispatcherFactory();
    const deadline = new AttemptDeadline(60_000);
    const add = vi.spyOn(deadline.signal, 'addEventListener');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/`;
      const pending = exchange(dispatchers, { method: 'GET', url, insecure: true, signal: deadline.signal }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 100)); // connected, request sent, no answer
      expect(add).not.toHaveBeenCalled();
      deadline.expire();
      const err = (await pending) as Error; // at once: the attempt's own timer is 60 s, the test's limit 30 s
      expect(err.name).toBe('TimeoutError');
    } finally {
      deadline.dispose();
      await dispatchers.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
