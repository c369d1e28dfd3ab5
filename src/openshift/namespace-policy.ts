/**
 * Which policy.json CRI-O judges a pod's pulls with: `/etc/crio/policies/<namespace>.json` when the MCO
 * rendered one for the pod's namespace (ImagePolicy objects there, MCO ≥ 4.18), else the cluster-wide
 * `/etc/containers/policy.json`. Shared by the CLI's `--namespace` and the scenarios' `[[pull]] namespace`.
 */
import type { OpenShiftConfigTexts } from './to-config-texts.ts';

/** The JSON text CRI-O uses for a pod in `namespace`, and a label naming the per-namespace file (null: policy.json). */
export function policyForNamespace(
  t: Pick<OpenShiftConfigTexts, 'policyJson' | 'namespacedPolicies'>,
  namespace: string | undefined | null,
): { json: string; label: string | null } {
  if (namespace === undefined || namespace === null) return { json: t.policyJson, label: null };
  const ns = t.namespacedPolicies.find((p) => p.namespace === namespace);
  return ns ? { json: ns.json, label: `${ns.path} (rendered from the ImagePolicy objects of namespace ${namespace})` } : { json: t.policyJson, label: null };
}
