/** Flag parsing shared by every command: `node:util` parseArgs with its errors turned into usage errors (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { assertOneStdin } from '../src/read-input.ts';
import { UsageError } from '../src/errors.ts';
import { closest } from '../src/did-you-mean.ts';

/**
 * parseArgs, but an unknown flag or a missing value is a UsageError worded for a person (with a "did you
 * mean" where a flag is close), not Node's parser text. `-o` is short for `--output` on every command.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const options = withOutputShort(config.options ?? {});
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs({ ...config, options }) as ReturnType<typeof parseArgs<T>>;
  } catch (err) {
    throw usageErrorFor(err as Error & { code?: string }, options, config.allowPositionals === true, config.args ?? process.argv.slice(2));
  }
  assertOneStdin(parsed.values as Record<string, unknown>, parsed.positionals ?? []);
  return parsed;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Adds `-o` to `--output` unless the command already gave `-o` another meaning. */
function withOutputShort(options: Options): Options {
  const output = options.output;
  if (output === undefined || output.short !== undefined) return options;
  if (Object.values(options).some((o) => o.short === 'o')) return options;
  return { ...options, output: { ...output, short: 'o' } };
}

/** Node's parseArgs errors (ERR_PARSE_ARGS_*) rewritten as usage errors that say what to do. */
export function usageErrorFor(err: Error & { code?: string }, options: Options, allowPositionals: boolean, args: readonly string[]): UsageError {
  const msg = err.message;
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    let typed = /Unknown option '([^']+)'/.exec(msg)?.[1] ?? msg;
    // Node reports `-timeout` as its first letter (`-t`, a short-flag group): name what was typed.
    if (/^-[^-]$/.test(typed)) typed = args.find((a) => a.startsWith(typed) && !a.startsWith('--')) ?? typed;
    return new UsageError(unknownFlagMessage(typed, options));
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const missing = /Option '(?:-\w, )?(--[^ ']+) <value>' argument missing/.exec(msg);
    if (missing) return new UsageError(`flag ${missing[1]} needs a value (${missing[1]} VALUE or ${missing[1]}=VALUE)`);
    const noArg = /Option '(?:-\w, )?(--[^ ']+)' does not take an argument/.exec(msg);
    if (noArg) return new UsageError(`flag ${noArg[1]} takes no value`);
  }
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && !allowPositionals) {
    const arg = /Unexpected argument '([^']*)'/.exec(msg)?.[1] ?? '';
    return new UsageError(`unexpected argument "${arg}": this command takes flags only`);
  }
  return new UsageError(msg);
}

/** `unknown flag --timout; did you mean --timeout?` (long and short flags both considered). */
export function unknownFlagMessage(typed: string, options: Options): string {
  const flag = typed.split('=')[0]!;
  let suggestion: string | undefined;
  if (flag.startsWith('--')) {
    const name = closest(flag.slice(2), Object.keys(options));
    if (name !== undefined) suggestion = `--${name}`;
  } else {
    // A single dash before a long name (`-timeout`) is a common slip: suggest the long flag.
    const name = flag.length > 2 ? closest(flag.slice(1), Object.keys(options)) : undefined;
    if (name !== undefined) suggestion = `--${name}`;
  }
  return `unknown flag ${flag}; ${suggestion !== undefined ? `did you mean ${suggestion}?` : 'see --help for the flags'}`;
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
