/**
 * A `pullpath verify` run as Prometheus metrics: a summary per node, never per image (an image list can
 * hold thousands of references; the per-image detail is in the JSON Lines and JUnit reports).
 * Used two ways: the probe DaemonSet's periodic verify sets them in its own registry (served on
 * /metrics), and `verify --metrics-file` writes them in the text format node_exporter's textfile
 * collector reads.
 *
 *   pullpath_verify_images{result="ok"|"failed"}        images in the latest run, by result
 *   pullpath_verify_failures{reason}                     failed images by reason (every reason, 0 when none)
 *   pullpath_verify_success                              1 when every image passed
 *   pullpath_verify_last_run_timestamp_seconds           Unix time the latest run ended
 *   pullpath_verify_duration_seconds                     how long it took
 *   pullpath_verify_runs_total                           runs done
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { VerifyReason, VerifyVerdict } from '../verify/verdict.ts';
import { summarizeVerdicts } from '../verify/verdict.ts';

/** Every reason, so each series exists from the first run (an alert on `> 0` needs the series to be there). */
export const VERIFY_REASONS = [
  'invalid-reference', 'resolution-error', 'no-mirror', 'tag-on-digest-only', 'blocked', 'not-mirrored', 'auth',
  'unreachable', 'proxy', 'not-a-registry', 'digest-mismatch', 'mirror-error', 'blobs-missing', 'policy', 'source-only',
  'signature-missing', 'signature-invalid', 'identity-mismatch', 'cancelled',
] as const satisfies readonly VerifyReason[];
// Fails to compile when VerifyReason gains a reason that the list above lacks.
type Missing = Exclude<VerifyReason, (typeof VERIFY_REASONS)[number]>;
const exhaustive: Missing extends never ? true : Missing = true;
void exhaustive;

export interface VerifyMetrics {
  /** Records one finished run. */
  record(verdicts: readonly VerifyVerdict[], durationMs: number): void;
}

export function createVerifyMetrics(registry: Registry, now: () => number = Date.now): VerifyMetrics {
  const registers = [registry];
  const images = new Gauge({ name: 'pullpath_verify_images', help: 'Images in the latest verify run, by result (ok: a mirror serves it).', labelNames: ['result'], registers });
  const failures = new Gauge({ name: 'pullpath_verify_failures', help: 'Images that failed the latest verify run, by reason.', labelNames: ['reason'], registers });
  const success = new Gauge({ name: 'pullpath_verify_success', help: 'Whether every image passed the latest verify run (1) or not (0).', registers });
  const last = new Gauge({ name: 'pullpath_verify_last_run_timestamp_seconds', help: 'Unix time the latest verify run ended.', registers });
  const duration = new Gauge({ name: 'pullpath_verify_duration_seconds', help: 'Duration of the latest verify run.', registers });
  const runs = new Counter({ name: 'pullpath_verify_runs_total', help: 'Verify runs done.', registers });
  return {
    record(verdicts, durationMs) {
      const s = summarizeVerdicts(verdicts);
      images.set({ result: 'ok' }, s.passed);
      images.set({ result: 'failed' }, s.failed);
      for (const r of VERIFY_REASONS) failures.set({ reason: r }, s.byReason[r] ?? 0);
      success.set(s.failed === 0 ? 1 : 0);
      last.set(Math.round(now()) / 1000);
      duration.set(durationMs / 1000);
      runs.inc();
    },
  };
}

/** The text a node_exporter textfile collector reads (`*.prom`), for one run. */
export async function verifyMetricsText(verdicts: readonly VerifyVerdict[], durationMs: number, opts: { node?: string | null; now?: () => number } = {}): Promise<string> {
  const registry = new Registry();
  if (opts.node) registry.setDefaultLabels({ node: opts.node });
  createVerifyMetrics(registry, opts.now).record(verdicts, durationMs);
  return registry.metrics();
}
