/**
 * `--openshift PATH` (repeatable), `--release-image REF`, `--ocp-version V`: shared by commands that can
 * work from OpenShift cluster objects instead of registries.conf files (rendered in memory, as the MCO would).
 * Wiring for resolve/pull/verify: `const t = await openShiftTextsFromFlags(values)`; if non-null, load with
 * `loadRegistriesConfFromTexts(loadTextsInputFromOpenShift(t))` and judge policy with `parsePolicy(t.policyJson, …)`.
 */
import type { LoadTextsInput } from '../src/config/load-texts.ts';
import type { OpenShiftConfigTexts } from '../src/openshift/to-config-texts.ts';
import type { Finding } from '../src/openshift/types.ts';

export const openShiftFlagOptions = {
  openshift: { type: 'string', multiple: true },
  'release-image': { type: 'string' },
  'ocp-version': { type: 'string' },
  namespace: { type: 'string' },
} as const;

export const openShiftFlagsHelp = `OpenShift objects (instead of registries.conf / policy.json files):
  --openshift PATH      image.config.openshift.io/cluster, ImageContentSourcePolicy, ImageDigestMirrorSet,
                        ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy YAML (file, folder, or - for standard input; repeat for
                        several), rendered as the MCO does; unknown fields are errors
  --release-image REF   the release payload (ClusterVersion status.desired.image)
  --ocp-version V       release line: current (default) or e.g. 4.12
  --namespace NS        judge pulls as for a pod in namespace NS: CRI-O uses the rendered
                        /etc/crio/policies/NS.json (ImagePolicy) when there is one, else policy.json`;

export interface OpenShiftFlagValues {
  openshift?: string[];
  'release-image'?: string;
  'ocp-version'?: string;
  namespace?: string;
}

/** Writes a render warning to stderr as `warning: FILE: KEY: message`. */
export const defaultOpenShiftWarning = (w: Finding): void => {
  process.stderr.write(`warning: ${[w.file, w.key].filter(Boolean).join(': ')}${w.file || w.key ? ': ' : ''}${w.message}\n`);
};

/** null when --openshift was not given; throws ConfigError (file, key, MCO message) on invalid objects. */
export async function openShiftTextsFromFlags(
  values: OpenShiftFlagValues,
  onWarning: (w: Finding) => void = defaultOpenShiftWarning,
): Promise<OpenShiftConfigTexts | null> {
  if (values.openshift === undefined || values.openshift.length === 0) return null;
  // Loaded only with --openshift: the renderer brings the YAML parser, which no other input of these commands needs.
  const { loadOpenShiftConfigTexts } = await import('../src/openshift/to-config-texts.ts');
  const t = await loadOpenShiftConfigTexts(values.openshift, {
    ...(values['release-image'] !== undefined ? { releaseImage: values['release-image'] } : {}),
    ...(values['ocp-version'] !== undefined ? { ocpVersion: values['ocp-version'] } : {}),
  });
  t.render.warnings.forEach(onWarning);
  return t;
}

/** The rendered files as the registries.conf loader's input (main file plus the search drop-in). */
export function loadTextsInputFromOpenShift(t: OpenShiftConfigTexts): LoadTextsInput {
  return { main: t.main, mainPath: t.main.path, mainRequired: true, dropins: t.dropins, configDirPath: '/etc/containers/registries.conf.d' };
}

// Moved to src/openshift (the scenario runner needs it too); re-exported for the commands that import it from here.
export { policyForNamespace } from '../src/openshift/namespace-policy.ts';
