/**
 * Pure text helpers for a fixed-width terminal. Every shortening leaves a visible `…`,
 * so nothing is ever cut silently (issue 5). Widths count UTF-16 code units, which is exact
 * for the ASCII references, hosts and error texts the engine produces.
 */

export const ELLIPSIS = '…';

/**
 * Shortens `text` to at most `width` columns by replacing its middle with `…`, keeping
 * both ends: the registry host and the tag/digest are what a person reads first.
 * @example middleEllipsis('quay.io/org/very/long/repository/name:1.4', 24) // 'quay.io/org…ory/name:1.4'
 */
export function middleEllipsis(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return ELLIPSIS;
  const keep = width - 1;
  // The tail holds the tag or digest; give it the extra column when the budget is odd.
  const head = Math.floor(keep / 2);
  const tail = keep - head;
  return text.slice(0, head) + ELLIPSIS + text.slice(text.length - tail);
}

/** Shortens `text` to `width` columns, marking the cut with a trailing `…`. */
export function endEllipsis(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return text.slice(0, width - 1) + ELLIPSIS;
}

/** Pads or shortens (middle) to exactly `width` columns, for table cells. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const short = middleEllipsis(text, width);
  return align === 'left' ? short.padEnd(width) : short.padStart(width);
}

/**
 * Hard-wraps `text` into lines of at most `width` columns, breaking at spaces when a
 * space falls in the second half of the line, otherwise mid-word (long URLs, digests).
 */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let rest = paragraph;
    while (rest.length > width) {
      const space = rest.lastIndexOf(' ', width);
      const cut = space > width / 2 ? space : width;
      lines.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    lines.push(rest);
  }
  return lines;
}

/** Collapses runs of whitespace (multi-line runtime errors) so one-line views stay one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
