/**
 * V8 tuning for `pullpath load`, the one command that keeps thousands of pulls in flight for seconds.
 *
 * V8 grows its young generation (semi-spaces of up to 16 MB on Node 20) when much of it survives a
 * scavenge. In a load run much of it does: every pull in flight holds its request, its connection's
 * state and its attempt records until the registry answers. So the nursery grows to its maximum and
 * every scavenge promotes pulls that are about to finish, which the old generation then carries as
 * garbage. Keeping the nursery at its initial size costs no measurable CPU here and lowers the peak:
 * 10,000 pulls in flight against a slow mock peaked at 315 MB without it and 244 MB with it
 * (bench/load.ts, part 2, where the figures are measured).
 *
 * The flag is read whenever V8 considers growing new space, so it works when set at run time.
 */
import { setFlagsFromString } from 'node:v8';

let tuned = false;

export function tuneHeapForLoad(): void {
  if (tuned || process.env.PULLPATH_NO_HEAP_TUNING === '1') return;
  tuned = true;
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=20');
}
