import { describe, expect, it, vi } from 'vitest';
import { AttemptDeadline } from '../../src/pull/attempt-deadline.ts';

describe('AttemptDeadline', () => {
  it('aborts with a TimeoutError after its timeout, and says it timed out', async () => {
    const d = new AttemptDeadline(20);
    expect(d.signal.aborted).toBe(false);
    await new Promise((r) => d.signal.addEventListener('abort', r, { once: true }));
    expect(d.timedOut).toBe(true);
    expect((d.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it("aborts with the caller's reason when the caller's signal aborts first", () => {
    const outer = new AbortController();
    const d = new AttemptDeadline(60_000, outer.signal);
    const why = new Error('run cancelled');
    outer.abort(why);
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBe(why);
    expect(d.timedOut).toBe(false);
    d.dispose();
  });

  it('starts aborted when the caller already aborted', () => {
    const outer = new AbortController();
    outer.abort('stop');
    const d = new AttemptDeadline(60_000, outer.signal);
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBe('stop');
  });

  it('after dispose, neither the timer nor the caller aborts it', async () => {
    const outer = new AbortController();
    const d = new AttemptDeadline(10, outer.signal);
    d.dispose();
    await new Promise((r) => setTimeout(r, 30));
    outer.abort();
    expect(d.signal.aborted).toBe(false);
  });

  it('thousands of attempts on one run signal: no listener-leak warning, and every one hears the abort', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const outer = new AbortController();
    const all = Array.from({ length: 2000 }, () => new AttemptDeadline(60_000, outer.signal));
    expect(warn).not.toHaveBeenCalled();
    outer.abort();
    expect(all.every((d) => d.signal.aborted)).toBe(true);
    warn.mockRestore();
  });
});
