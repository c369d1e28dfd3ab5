/**
 * Colours for the tones layouts use. `NO_COLOR` (https://no-color.org: present and not empty)
 * turns every colour and text style off; the screens stay readable through their symbols
 * (›, ✓, ✗, spinner) alone.
 */
import type { Tone } from './state/line.ts';

export interface Theme {
  color: boolean;
}

export function themeFromEnv(env: Readonly<Record<string, string | undefined>>): Theme {
  const noColor = env['NO_COLOR'];
  return { color: noColor === undefined || noColor === '' };
}

const COLORS: Record<Tone, string | undefined> = {
  normal: undefined,
  dim: 'gray',
  ok: 'green',
  fail: 'red',
  warn: 'yellow',
  accent: 'cyan',
};

export function toneColor(theme: Theme, tone: Tone | undefined): string | undefined {
  return theme.color && tone !== undefined ? COLORS[tone] : undefined;
}
