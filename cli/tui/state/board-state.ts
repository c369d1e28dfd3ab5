/**
 * Probe and load boards fold a stream of whole snapshots: the latest one is shown; for probe, a
 * short history per endpoint feeds the sparklines. Pure; the input state is never mutated.
 */
import type { LoadBoardSnapshot, ProbeBoardSnapshot } from '../view-models.ts';

/** Values kept per series: enough for the widest sparkline. */
export const HISTORY = 60;

export interface BoardState<S> {
  latest: S | null;
  snapshots: number;
  /** Per endpoint: probe p50 latency, oldest first. */
  history: Readonly<Record<string, readonly number[]>>;
}

export function initialBoardState<S>(): BoardState<S> {
  return { latest: null, snapshots: 0, history: {} };
}

function push(series: readonly number[] | undefined, value: number): number[] {
  const next = [...(series ?? []), value];
  return next.length > HISTORY ? next.slice(next.length - HISTORY) : next;
}

export function reduceProbeSnapshots(
  state: BoardState<ProbeBoardSnapshot>,
  batch: readonly ProbeBoardSnapshot[],
): BoardState<ProbeBoardSnapshot> {
  if (batch.length === 0) return state;
  const history: Record<string, readonly number[]> = { ...state.history };
  for (const snap of batch) {
    for (const ep of snap.endpoints) history[ep.endpoint] = push(history[ep.endpoint], ep.latencyMs?.p50 ?? 0);
  }
  return { latest: batch[batch.length - 1]!, snapshots: state.snapshots + batch.length, history };
}

/** Load: the latest summary is all the board needs (its per-second counts feed the sparkline). */
export function reduceLoadSnapshots(
  state: BoardState<LoadBoardSnapshot>,
  batch: readonly LoadBoardSnapshot[],
): BoardState<LoadBoardSnapshot> {
  if (batch.length === 0) return state;
  return { latest: batch[batch.length - 1]!, snapshots: state.snapshots + batch.length, history: state.history };
}
