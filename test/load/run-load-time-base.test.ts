/**
 * The fault timeline and the load run share one time base: the windows are read when the run's clock
 * starts, however long the caller took between starting the registries and starting the run (loading
 * the TUI took 0.6 s). Before, a window read early started late in run time, and the failures in the
 * gap were reported under their error class (`refused`) beside the fault (`refuse`).
 */
import { describe, expect, it } from 'vitest';
import { faultWindows } from '../../src/load/fault-windows.ts';
import { runLoad, type PullOneFn } from '../../src/load/run-load.ts';
import type { MockRegistrySpec } from '../../src/mock/spec.ts';
import type { AttemptEvent, ResultEvent } from '../../src/events/pull-events.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';
import { VirtualClock } from './virtual-clock.ts';

const SPECS: MockRegistrySpec[] = [{ host: 'mirror.example.com', images: [], faults: [{ kind: 'refuse', from: 2 }] }];

function attempt(index: number, location: string, ok: boolean): AttemptEvent {
  return {
    type: 'attempt', image: 'app', index, at: 0, reference: `${location}/app:1`, location, mirror: index === 0, insecure: false,
    outcome: ok ? 'ok' : 'failed', error: ok ? null : 'connection refused', errorClass: ok ? null : 'refused', httpStatus: null, durationMs: 1, steps: [],
  };
}

describe('runLoad fault windows', () => {
  it('are measured from the run start, so failures start inside the fault window and carry its name', async () => {
    const clock = new VirtualClock();
    // The registries started 600 ms before the run: their clock reads 600 when the run's reads 0.
    const mockNow = (): number => clock.now() + 600;
    const pullOne: PullOneFn = async (_r, _o, emit) => {
      const refused = mockNow() >= 2000; // what the mock does: the port is closed from its t = 2 s
      await clock.sleep(1);
      const attempts = refused ? [attempt(0, 'mirror.example.com/acme', false), attempt(1, 'quay.io/acme', true)] : [attempt(0, 'mirror.example.com/acme', true)];
      for (const a of attempts) emit(a);
      const result: ResultEvent = { type: 'result', image: 'app', at: 0, ok: true, source: attempts.at(-1)!.reference, sourceIndex: attempts.length - 1, digest: null, mediaType: null, error: null, errorClass: null, durationMs: 1 };
      return result;
    };
    const summary = await runLoad({
      target: { resolutions: [{ ref: 'quay.io/acme/app:1' } as Resolution] },
      pull: {} as never,
      mode: { kind: 'open', ratePerSec: 100 },
      durationMs: 3000,
      maxRequests: null,
      faults: () => faultWindows(SPECS, mockNow()),
      clock,
      pullOne,
    });
    expect(summary.faults).toEqual([{ registry: 'mirror.example.com', kind: 'refuse', fromMs: 1400, toMs: null }]);
    const mirror = summary.perEndpoint.find((e) => e.endpoint === 'mirror.example.com/acme')!;
    expect(mirror.failingFromMs).toBeGreaterThanOrEqual(1400);
    expect(Object.keys(summary.failover)).toEqual(['refuse']);
    expect(summary.failover.refuse!.count).toBe(mirror.failed);
  });
});
