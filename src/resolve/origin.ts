import type { Origin } from '../config/types.ts';

/** "file:line", or "file" when the line is unknown. */
export function formatOrigin(o: Origin): string {
  return o.line === undefined ? o.file : `${o.file}:${o.line}`;
}
