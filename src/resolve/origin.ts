import { formatRenderedFrom } from '../config/rendered-from.ts';
import type { Origin } from '../config/types.ts';

/** "file:line", or "file" when the line is unknown; for a rendered item, the cluster objects it came from. */
export function formatOrigin(o: Origin): string {
  if (o.rendered !== undefined && o.rendered.length > 0) return formatRenderedFrom(o.rendered);
  return o.line === undefined ? o.file : `${o.file}:${o.line}`;
}
