/** Tiny in-cell charts for the load board: a sparkline of recent values and a fill bar. */

const LEVELS = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as block characters scaled to their own maximum
 * (a flat line of `▁` when every value is 0). Left-padded with spaces when short.
 * @example sparkline([0, 5, 10], 3) // '▁▅█'
 */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const recent = values.slice(-width);
  const max = Math.max(0, ...recent);
  const chars = recent.map((v) => {
    if (max <= 0 || !Number.isFinite(v) || v <= 0) return LEVELS[0];
    const level = Math.min(LEVELS.length - 1, Math.round((v / max) * (LEVELS.length - 1)));
    return LEVELS[level];
  });
  return chars.join('').padStart(width);
}

/**
 * A horizontal bar for a fraction 0..1 (clamped): `████░░░░`.
 * @example bar(0.5, 8) // '████░░░░'
 */
export function bar(fraction: number, width: number): string {
  if (width <= 0) return '';
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}
