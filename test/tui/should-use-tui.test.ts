import { describe, expect, it } from 'vitest';
import { shouldUseTui, type TuiDecisionInput } from '../../cli/tui/should-use-tui.ts';
import { themeFromEnv, toneColor } from '../../cli/tui/theme.ts';

const tty = { isTTY: true };

describe('shouldUseTui', () => {
  it.each<[string, TuiDecisionInput, boolean]>([
    ['a terminal with no flags', { stdout: tty, env: {}, flags: {} }, true],
    ['a pipe', { stdout: { isTTY: false }, env: {}, flags: {} }, false],
    ['a stream that does not say', { stdout: {}, env: {}, flags: {} }, false],
    ['CI=true', { stdout: tty, env: { CI: 'true' }, flags: {} }, false],
    ['CI=1', { stdout: tty, env: { CI: '1' }, flags: {} }, false],
    ['CI=false', { stdout: tty, env: { CI: 'false' }, flags: {} }, true],
    ['--no-tui', { stdout: tty, env: {}, flags: { 'no-tui': true } }, false],
    ['noTui', { stdout: tty, env: {}, flags: { noTui: true } }, false],
    ['--output json', { stdout: tty, env: {}, flags: { output: 'json' } }, false],
    ['--output text', { stdout: tty, env: {}, flags: { output: 'text' } }, false],
    ['TERM=dumb', { stdout: tty, env: { TERM: 'dumb' }, flags: {} }, false],
  ])('%s → %s', (_name, input, expected) => {
    expect(shouldUseTui(input)).toBe(expected);
  });
});

describe('theme', () => {
  it.each([
    [{}, true],
    [{ NO_COLOR: '1' }, false],
    [{ NO_COLOR: 'anything' }, false],
    [{ NO_COLOR: '' }, true], // no-color.org: only a non-empty value disables colour
  ])('themeFromEnv(%j).color is %s', (env, color) => {
    expect(themeFromEnv(env).color).toBe(color);
  });
  it('gives no colour at all under NO_COLOR', () => {
    const theme = themeFromEnv({ NO_COLOR: '1' });
    for (const tone of ['normal', 'dim', 'ok', 'fail', 'warn', 'accent'] as const) expect(toneColor(theme, tone)).toBeUndefined();
    expect(toneColor(themeFromEnv({}), 'fail')).toBe('red');
  });
});
