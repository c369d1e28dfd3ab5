/**
 * A laid-out terminal line: segments of text with a tone. Layout functions (pure) produce
 * lines of known width and count, so the windowing is exact; components only colour them.
 */
export type Tone = 'normal' | 'dim' | 'ok' | 'fail' | 'warn' | 'accent';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export type Line = Segment[];

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Spinner frames; the frame index comes from the view's single ticker, not one timer per row. */
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export function spinnerFrame(tick: number): string {
  return SPINNER[((tick % SPINNER.length) + SPINNER.length) % SPINNER.length]!;
}
