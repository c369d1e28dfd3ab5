/** Flag parsing as users meet it: "did you mean" for a typo, plain words for a missing value, -o for --output. */
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../cli/args.ts';
import { closest, editDistance } from '../../src/did-you-mean.ts';
import { UsageError } from '../../src/errors.ts';

const options = { timeout: { type: 'string' }, output: { type: 'string' }, 'no-tui': { type: 'boolean' }, 'check-blobs': { type: 'boolean' } } as const;

function usageMessage(args: string[], allowPositionals = true): string {
  try {
    parseCommandArgs({ args, options, allowPositionals });
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('parseCommandArgs', () => {
  it('suggests the closest flag for a typo', () => {
    expect(usageMessage(['--timout', '2'])).toBe('unknown flag --timout; did you mean --timeout?');
    expect(usageMessage(['--timout=2'])).toBe('unknown flag --timout; did you mean --timeout?');
    expect(usageMessage(['--check-blob'])).toBe('unknown flag --check-blob; did you mean --check-blobs?');
    expect(usageMessage(['--notui'])).toBe('unknown flag --notui; did you mean --no-tui?');
  });

  it('suggests the long flag for a single-dash long name, and nothing when nothing is close', () => {
    expect(usageMessage(['-timeout', '2'])).toBe('unknown flag -timeout; did you mean --timeout?');
    expect(usageMessage(['--frobnicate'])).toBe('unknown flag --frobnicate; see --help for the flags');
  });

  it('never shows Node parser text', () => {
    expect(usageMessage(['--timeout'])).toBe('flag --timeout needs a value (--timeout VALUE or --timeout=VALUE)');
    expect(usageMessage(['--no-tui=yes'])).toBe('flag --no-tui takes no value');
    expect(usageMessage(['stray'], false)).toBe('unexpected argument "stray": this command takes flags only');
  });

  it('takes -o for --output', () => {
    expect(parseCommandArgs({ args: ['-o', 'json'], options, allowPositionals: true }).values.output).toBe('json');
    expect(parseCommandArgs({ args: ['-ojson'], options, allowPositionals: true }).values.output).toBe('json');
  });

  it('keeps a command-defined -o', () => {
    const own = { out: { type: 'string', short: 'o' }, output: { type: 'string' } } as const;
    expect(parseCommandArgs({ args: ['-o', 'dir'], options: own }).values.out).toBe('dir');
  });
});

describe('suggestions', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('reslove', 'resolve')).toBe(1);
    expect(editDistance('pul', 'pull')).toBe(1);
  });
  it('offers a unique prefix, and nothing for an unrelated word', () => {
    expect(closest('scen', ['scenario', 'resolve'])).toBe('scenario');
    expect(closest('xyz', ['resolve', 'lint'])).toBeUndefined();
  });
});
