/**
 * Row virtualisation: which slice of a long list to render so the selection stays visible.
 * Pure and stateless: the window is centred on the selection and clamped at the ends, so
 * 1,000 rows cost as much to render as a screenful.
 */

export interface RowWindow {
  /** First rendered row (inclusive). */
  start: number;
  /** One past the last rendered row. */
  end: number;
  /** Rows hidden above and below, for the "↑ N more" markers. */
  above: number;
  below: number;
}

export function rowWindow(total: number, selected: number, capacity: number): RowWindow {
  const cap = Math.max(0, capacity);
  if (total <= cap) return { start: 0, end: total, above: 0, below: 0 };
  const sel = Math.min(Math.max(selected, 0), total - 1);
  const start = Math.min(Math.max(0, sel - Math.floor(Math.max(0, cap - 1) / 2)), total - cap);
  const end = start + cap;
  return { start, end, above: start, below: total - end };
}
