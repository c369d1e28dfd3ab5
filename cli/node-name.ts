/**
 * `--node-name NAME` (probe, verify): the `node` label of every metric. Defaults to $NODE_NAME, which a
 * DaemonSet sets from the downward API (`spec.nodeName`), so the label matches kube-state-metrics' `node`.
 * Null (no label) when neither is set: a workstation run has one node, its own.
 */
import { UsageError } from '../src/errors.ts';

export function nodeNameFlag(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  const v = flag ?? env.NODE_NAME;
  if (v === undefined || v === '') {
    if (flag === '') throw new UsageError('--node-name: expected a node name, got ""');
    return null;
  }
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new UsageError(`--node-name: control characters are not allowed in a node name (got ${JSON.stringify(v)})`);
  return v;
}
