import { describe, expect, it } from 'vitest';
import { runSchedule, type Slot } from '../../src/load/scheduler.ts';
import { VirtualClock } from './virtual-clock.ts';

/** A task that takes `serviceMs(seq)` of virtual time and records when it ran. */
function recorder(clock: VirtualClock, serviceMs: (seq: number) => number) {
  const done: { slot: Slot; endMs: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const task = async (slot: Slot): Promise<void> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await clock.sleep(serviceMs(slot.seq));
    inFlight--;
    done.push({ slot, endMs: clock.now() });
  };
  return { task, done, maxInFlight: () => maxInFlight };
}

describe('closed-loop schedule', () => {
  it('keeps exactly N pulls in flight and stops at the duration', async () => {
    const clock = new VirtualClock();
    const r = recorder(clock, () => 100);
    const res = await runSchedule({ mode: { kind: 'closed', concurrency: 4 }, durationMs: 1000, maxRequests: null }, r.task, clock);
    // 4 workers × 10 pulls of 100 ms in 1000 ms.
    expect(res.started).toBe(40);
    expect(r.done).toHaveLength(40);
    expect(r.maxInFlight()).toBe(4);
    // Closed loop: each pull starts when it is started, never "late".
    expect(r.done.every((d) => d.slot.intendedMs === d.slot.startMs)).toBe(true);
  });

  it('stops at max-requests before the duration', async () => {
    const clock = new VirtualClock();
    const r = recorder(clock, () => 10);
    const res = await runSchedule({ mode: { kind: 'closed', concurrency: 3 }, durationMs: 60_000, maxRequests: 7 }, r.task, clock);
    expect(res.started).toBe(7);
    expect(r.done.map((d) => d.slot.seq).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(res.elapsedMs).toBe(30); // 7 pulls over 3 workers: 3 rounds of 10 ms
  });
});

describe('open-loop schedule', () => {
  it('starts pulls at i/rate whatever their latency', async () => {
    const clock = new VirtualClock();
    const r = recorder(clock, () => 250);
    const res = await runSchedule({ mode: { kind: 'open', ratePerSec: 10 }, durationMs: 1000, maxRequests: null }, r.task, clock);
    expect(res.started).toBe(10);
    const slots = r.done.map((d) => d.slot).sort((a, b) => a.seq - b.seq);
    expect(slots.map((s) => s.intendedMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(slots.map((s) => s.startMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(r.maxInFlight()).toBe(3); // 250 ms pulls every 100 ms overlap by 3
    expect(res.elapsedMs).toBe(1150); // drains the last pull (900 + 250)
  });

  it('counts latency from the intended send time when the target stalls (no coordinated omission)', async () => {
    const clock = new VirtualClock();
    // At most one pull in flight, each taking 250 ms while the schedule asks for one per 100 ms.
    const r = recorder(clock, () => 250);
    await runSchedule({ mode: { kind: 'open', ratePerSec: 10, maxInFlight: 1 }, durationMs: 500, maxRequests: null }, r.task, clock);
    const lat = r.done.sort((a, b) => a.slot.seq - b.slot.seq).map((d) => d.endMs - d.slot.intendedMs);
    // Send times 0,100,…,400; each waits for the previous: ends at 250, 500, 750, 1000, 1250.
    expect(lat).toEqual([250, 400, 550, 700, 850]);
    // A closed-loop view (from the actual start) would have reported 250 ms for every pull.
    expect(r.done.map((d) => d.endMs - d.slot.startMs)).toEqual([250, 250, 250, 250, 250]);
  });

  it('stops at max-requests', async () => {
    const clock = new VirtualClock();
    const r = recorder(clock, () => 1);
    const res = await runSchedule({ mode: { kind: 'open', ratePerSec: 1000 }, durationMs: null, maxRequests: 25 }, r.task, clock);
    expect(res.started).toBe(25);
    expect(r.done).toHaveLength(25);
  });

  it('stops when aborted', async () => {
    const clock = new VirtualClock();
    const ac = new AbortController();
    const r = recorder(clock, (seq) => {
      if (seq === 3) ac.abort();
      return 1;
    });
    const res = await runSchedule({ mode: { kind: 'open', ratePerSec: 10 }, durationMs: 10_000, maxRequests: null, signal: ac.signal }, r.task, clock);
    expect(res.started).toBe(4);
  });
});

describe('schedule validation', () => {
  it.each([
    [{ mode: { kind: 'closed', concurrency: 2 }, durationMs: null, maxRequests: null }, /--duration or --max-requests/],
    [{ mode: { kind: 'closed', concurrency: 0 }, durationMs: 1, maxRequests: null }, /--concurrency/],
    [{ mode: { kind: 'open', ratePerSec: 0 }, durationMs: 1, maxRequests: null }, /--rate/],
  ] as const)('rejects %j', async (opts, msg) => {
    await expect(runSchedule(opts as never, async () => {}, new VirtualClock())).rejects.toThrow(msg);
  });
});

describe('open-loop schedule, generator behind', () => {
  it('yields to the event loop every 16 starts, so pulls already started are served before more start', async () => {
    let sleeps = 0;
    // A clock far past every scheduled time: the generator is behind for the whole run.
    const behind = { now: () => 1e9, sleep: () => new Promise<void>((r) => setImmediate(() => (sleeps++, r()))) };
    const startedAfterSleep: number[] = [];
    const res = await runSchedule(
      { mode: { kind: 'open', ratePerSec: 10_000 }, durationMs: null, maxRequests: 200, origin: 0 },
      async () => {
        startedAfterSleep.push(sleeps);
      },
      behind,
    );
    expect(res.started).toBe(200);
    const perBatch = new Map<number, number>();
    for (const s of startedAfterSleep) perBatch.set(s, (perBatch.get(s) ?? 0) + 1);
    expect(Math.max(...perBatch.values())).toBeLessThanOrEqual(16);
    expect(sleeps).toBeGreaterThanOrEqual(Math.floor(200 / 16));
  });
});
