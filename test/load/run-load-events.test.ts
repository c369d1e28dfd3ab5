/** runLoad hands every engine event to onEvent as it happens (the CLI's --debug lines read them). */
import { describe, expect, it } from 'vitest';
import { runLoad, type PullOneFn } from '../../src/load/run-load.ts';
import type { PullEvent } from '../../src/events/pull-events.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';

describe('runLoad onEvent', () => {
  it('sees each pull\'s attempt-start and attempt events', async () => {
    const pullOne: PullOneFn = async (_r, options, emit) => {
      const image = options.image ?? 'i';
      const common = { image, index: 0, at: 0, reference: 'm.example.com/a:1', location: 'm.example.com', mirror: true, insecure: false };
      emit({ type: 'attempt-start', ...common });
      emit({ type: 'attempt', ...common, outcome: 'failed', error: 'refused', errorClass: 'refused', httpStatus: null, durationMs: 1, steps: [] });
      return { type: 'result', image, at: 1, ok: false, source: null, sourceIndex: null, digest: null, mediaType: null, error: 'refused', errorClass: 'refused', durationMs: 1 };
    };
    const seen: PullEvent[] = [];
    await runLoad({
      target: { resolutions: [{ ref: 'quay.io/a:1' } as Resolution] },
      pull: { client: {} as never, attemptTimeoutMs: 1000 },
      mode: { kind: 'closed', concurrency: 1 },
      durationMs: null,
      maxRequests: 3,
      pullOne,
      onEvent: (e) => seen.push(e),
    });
    expect(seen.map((e) => e.type)).toEqual(['attempt-start', 'attempt', 'attempt-start', 'attempt', 'attempt-start', 'attempt']);
  });
});
