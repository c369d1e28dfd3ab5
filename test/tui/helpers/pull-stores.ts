/** Stores for mounting PullApp / BoardApp directly in ink-testing-library. */
import type { PullEvent } from '../../../src/events/pull-events.ts';
import { reducePullEvents } from '../../../cli/tui/state/pull-reducer.ts';
import type { RunPhase } from '../../../cli/tui/state/pull-screen.ts';
import { initialPullState } from '../../../cli/tui/state/pull-state.ts';
import { createStreamStore, createValueStore } from '../../../cli/tui/state/stream-store.ts';
import type { ScenarioExpectation } from '../../../cli/tui/view-models.ts';

/** A pull store fed by a stream the test pushes into (`push`, `end`). */
export function pushedPullStore() {
  const queue: PullEvent[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  async function* source(): AsyncGenerator<PullEvent> {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (ended) return;
      await new Promise<void>((r) => (wake = r));
    }
  }
  const store = createStreamStore(source(), reducePullEvents, initialPullState(), { flushMs: 0 });
  return {
    store,
    push(...events: PullEvent[]) {
      queue.push(...events);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    phase: createValueStore<RunPhase>('running'),
    expectations: createValueStore<readonly ScenarioExpectation[]>([]),
  };
}
