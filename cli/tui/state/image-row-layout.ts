/**
 * One image's row in the pull view: marker, status, image, the source being tried (or the
 * winner, or the error), elapsed time. Pure; widths sum exactly to the terminal width.
 */
import { formatMs } from '../format/numbers.ts';
import { cell, endEllipsis, middleEllipsis, oneLine } from '../format/text.ts';
import { spinnerFrame, type Line, type Tone } from './line.ts';
import type { ImageView } from './pull-state.ts';

export interface RowContext {
  width: number;
  selected: boolean;
  /** Engine-clock now, for the elapsed time of images still in flight. */
  now: number;
  tick: number;
}

const ELAPSED = 7;

export function imageRowLine(img: ImageView, ctx: RowContext): Line {
  const rest = Math.max(10, ctx.width - 4 - ELAPSED);
  const imageWidth = Math.max(8, Math.floor(rest * 0.45));
  const sourceWidth = Math.max(1, rest - imageWidth - 1);
  const [icon, tone] = statusIcon(img, ctx.tick);
  return [
    { text: ctx.selected ? '› ' : '  ', tone: 'accent', bold: true },
    { text: `${icon} `, tone },
    { text: cell(img.image, imageWidth), bold: ctx.selected },
    { text: ' ' },
    { text: cell(sourceText(img, sourceWidth), sourceWidth), tone: img.status === 'failed' ? 'fail' : 'dim' },
    { text: ' ' + formatMs(elapsed(img, ctx.now)).padStart(ELAPSED - 1) },
  ];
}

function statusIcon(img: ImageView, tick: number): [string, Tone] {
  switch (img.status) {
    case 'pending':
      return ['·', 'dim'];
    case 'trying':
      return [spinnerFrame(tick), 'accent'];
    case 'ok':
      return ['✓', 'ok'];
    case 'failed':
      return ['✗', 'fail'];
  }
}

export function elapsed(img: ImageView, now: number): number {
  if (img.result !== null) return img.result.durationMs;
  const end = img.endedAt ?? now;
  return Math.max(0, end - img.startedAt);
}

/** What the source column says: the source in flight, the winner, or why it failed. */
export function sourceText(img: ImageView, width: number): string {
  const kind = (mirror: boolean, index: number): string =>
    `${mirror ? 'mirror' : 'primary'} ${index + 1}/${Math.max(img.planned, index + 1)}`;
  if (img.resolutionError !== null) return endEllipsis(`resolve: ${oneLine(img.resolutionError)}`, width);
  if (img.status === 'ok' && img.result !== null) {
    const idx = img.result.sourceIndex;
    const att = idx === null ? undefined : img.attempts.find((a) => a.index === idx);
    const prefix = att !== undefined ? `${kind(att.mirror, att.index)} ` : '';
    return prefix + middleEllipsis(img.result.source ?? '', width - prefix.length);
  }
  if (img.status === 'failed') {
    const err = img.result?.error ?? img.attempts.at(-1)?.error ?? 'failed';
    const cls = img.result?.errorClass;
    return endEllipsis(`${cls ? `${cls}: ` : ''}${oneLine(err)}`, width);
  }
  const current = img.current === null ? undefined : img.attempts.find((a) => a.index === img.current);
  if (current !== undefined) {
    const prefix = `${kind(current.mirror, current.index)} `;
    return prefix + middleEllipsis(current.reference, width - prefix.length);
  }
  return endEllipsis(`queued · ${img.planned} source${img.planned === 1 ? '' : 's'}`, width);
}
