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
export type WasmTiering = 'liftoff-only' | 'default' | 'none';

const LONG_LIVED = new Set(['load', 'mock']);
/**
 * Commands that never open a connection, so never compile llhttp: nothing to choose, and no V8 flag to set.
 * Setting one needs node:v8, which loads Node's stream modules with it (about 2 ms of `resolve`'s start-up).
 * test/cli/wasm-tiering.test.ts checks that none of their bundles holds undici's client.
 */
export const NO_CONNECTIONS: ReadonlySet<string> = new Set(['resolve', 'lint', 'render', 'convert', 'explain']);

/** The tiering for `pullpath COMMAND ARGS…`. */
export function wasmTieringFor(command: string, args: readonly string[]): WasmTiering {
  if (NO_CONNECTIONS.has(command)) return 'none';
  if (LONG_LIVED.has(command)) return 'default';
  if (command === 'probe' && args.includes('--watch')) return 'default';
  return 'liftoff-only';
}

/** Applies the tiering; must run before undici compiles llhttp (its first connection), which the commands do later. */
export function applyWasmTiering(tiering: WasmTiering): void {
  if (tiering === 'liftoff-only') process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
}
