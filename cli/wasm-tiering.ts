/**
 * How V8 compiles undici's HTTP parser (llhttp, WebAssembly), chosen per command before the first connection.
 *
 * V8 compiles WebAssembly with Liftoff (its baseline compiler) and then again with TurboFan on a background
 * thread. A process cannot exit while that background compile runs: Node waits for it even on process.exit().
 * For a one-image `pullpath pull` that wait was the largest single cost of the run (about 100 ms on this
 * project's 2-core machine, after the pull itself had finished). `--liftoff-only` never starts TurboFan for
 * WebAssembly, so there is nothing to wait for; parsing the few responses of a short command in Liftoff code
 * costs nothing measurable (see the start-up notes in the README's performance section).
 *
 * Long-lived commands keep the default: `load` and `mock` run until stopped and `probe --watch` runs round
 * after round, so a one-time compile wait at exit is noise there, and their parser runs hot for minutes.
 */
import { setFlagsFromString } from 'node:v8';

export type WasmTiering = 'liftoff-only' | 'default';

const LONG_LIVED = new Set(['load', 'mock']);

/** The tiering for `pullpath COMMAND ARGS…`. */
export function wasmTieringFor(command: string, args: readonly string[]): WasmTiering {
  if (LONG_LIVED.has(command)) return 'default';
  if (command === 'probe' && args.includes('--watch')) return 'default';
  return 'liftoff-only';
}

/** Applies the tiering; must run before undici compiles llhttp (its first connection), which the commands do later. */
export function applyWasmTiering(tiering: WasmTiering): void {
  if (tiering === 'liftoff-only') setFlagsFromString('--liftoff-only');
}
