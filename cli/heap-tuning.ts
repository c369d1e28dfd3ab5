/**
 * V8 tuning for `pullpath load`, the one command that keeps thousands of pulls in flight for seconds.
 *
 * V8 grows its young generation (semi-spaces of up to 16 MB on Node 20) when much of it survives a
 * scavenge. In a load run much of it does: every pull in flight holds its request, its connection's
 * state and its attempt records until the registry answers. So the nursery grows to its maximum, and
 * every scavenge promotes pulls that are about to finish; the old generation then carries them as
 * garbage, and V8 lets it grow to about twice the live heap before collecting. Here the nursery stays
 * at its initial size and the old generation is collected once it is 20 % over the live heap.
 * 10,000 pulls in flight against a slow mock (bench/load.ts, part 2) peak at 247 MB with this and
 * 377 MB without, for about 20 % more CPU.
 *
 * Both flags are read whenever V8 sizes the heap after a GC, so they work when set at run time.
 */
import { setFlagsFromString } from 'node:v8';

let tuned = false;

export function tuneHeapForLoad(): void {
  if (tuned || process.env.PULLPATH_NO_HEAP_TUNING === '1') return;
  tuned = true;
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=20');
}
