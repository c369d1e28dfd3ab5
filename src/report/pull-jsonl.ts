/**
 * JSON Lines view of the pull event stream: one PullEvent per line, field names as in `src/pull/events.ts`
 * (the stable contract of `pullpath pull --output json`). `attempt-start` events are live-view noise and
 * are left out unless asked for.
 */
import type { PullEvent } from '../pull/events.ts';

export function pullEventToJsonLine(e: PullEvent): string {
  return JSON.stringify(e) + '\n';
}

export function includeInJsonLines(e: PullEvent, withStarts = false): boolean {
  return withStarts || e.type !== 'attempt-start';
}
