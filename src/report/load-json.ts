/**
 * `pullpath load --output json` (schemas/load.schema.json): one `load` record, the recorder's summary — the
 * same aggregate the TUI board and the text report lay out. Endpoints are named by `location`, as in every
 * other command's output (the summary's own field is `endpoint`).
 */
import type { LoadSummary } from '../load/load-summary.ts';

export function loadRecordJson(summary: LoadSummary): string {
  const perEndpoint = summary.perEndpoint.map(({ endpoint, ...rest }) => ({ location: endpoint, ...rest }));
  return JSON.stringify({ type: 'load', ...summary, perEndpoint }) + '\n';
}
