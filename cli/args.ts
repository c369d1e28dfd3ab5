/** Flag parsing shared by every command: `node:util` parseArgs with its errors turned into usage errors (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { assertOneStdin } from '../src/read-input.ts';
import { UsageError } from '../src/errors.ts';

/** parseArgs, but an unknown flag or a missing value is a UsageError naming it. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  assertOneStdin(parsed.values as Record<string, unknown>, parsed.positionals ?? []);
  return parsed;
}

/** `--output text|json`; undefined when not given (each command picks its default: text, or the TUI). */
export function outputFlag(value: string | undefined): 'text' | 'json' | undefined {
  if (value !== undefined && value !== 'text' && value !== 'json') throw new UsageError(`--output: expected text or json, got "${value}"`);
  return value;
}

/** A count flag (`--jobs`, `--concurrency`, …): a whole number ≥ 1, or undefined when not given. */
export function wholeNumberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag}: expected a whole number ≥ 1, got "${value}"`);
  return n;
}
