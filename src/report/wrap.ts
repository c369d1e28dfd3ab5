/**
 * Word wrapping for plain text (help, tables): greedy, never drops a character. A word longer than a
 * line is split after a `,` `/` `.` or `{` where one falls in the line's last two thirds, else hard.
 * A no-break space (U+00A0) holds a value and its unit together (`4.00 ms`) and prints as a space.
 */

export const NBSP = '\u00a0';

/** Words of `text`, with a number and its unit kept together. */
export function wordsOf(text: string): string[] {
  return text.replace(/(\d) (ms|s|%|B|KiB|MiB|GiB)(?=$|[\s,;)])/g, `$1${NBSP}$2`).split(/ +/).filter((w) => w !== '');
}

/** Lines of at most `width` columns: the first starts with `firstPrefix`, the rest with `prefix`. */
export function wrapWords(words: string[], firstPrefix: string, prefix: string, width: number): string[] {
  const lines: string[] = [];
  let cur = firstPrefix;
  let empty = true;
  const room = Math.max(4, width - prefix.length);
  const firstRoom = Math.max(4, width - firstPrefix.length);
  const pieces = words.flatMap((w, i) => splitLong(w, i === 0 ? Math.min(room, firstRoom) : room));
  for (const w of pieces) {
    if (!empty && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = prefix;
      empty = true;
    }
    cur += (empty ? '' : ' ') + w;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(cur);
  return lines.map((l) => l.replaceAll(NBSP, ' '));
}

/** `text` wrapped into lines of at most `width` columns (no prefix). */
export function wrapText(text: string, width: number): string[] {
  return wrapWords(wordsOf(text), '', '', width);
}

function splitLong(word: string, room: number): string[] {
  const out: string[] = [];
  let rest = word;
  while (rest.length > room) {
    const window = rest.slice(0, room);
    const cut = Math.max(window.lastIndexOf(','), window.lastIndexOf('/'), window.lastIndexOf('.'), window.lastIndexOf('{') - 1);
    const at = cut >= room / 3 ? cut + 1 : room;
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}
