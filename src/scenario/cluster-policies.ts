/**
 * A scenario's cluster objects, rendered as the MCO renders them, including ClusterImagePolicy/ImagePolicy.
 * Those name keys by `keyData`, and the mocks generate their key per run, so the objects may say
 * `keyData: "{{sigstore-pub-data}}"`. The text is therefore rendered twice: in prepare (before any mock starts)
 * with a stand-in key, for registries.conf and to reject bad objects up front (exit 2); and in the environment
 * with the real key, for policy.json, registries.d and the per-namespace policies the pulls are judged with.
 */
import { ConfigError } from '../errors.ts';
import { specSigns, specSignsGpg } from '../mock/start.ts';
import { parseOpenShiftObjects } from '../openshift/parse-objects.ts';
import { openShiftToConfigTexts, type OpenShiftConfigTexts } from '../openshift/to-config-texts.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy } from '../policy/types.ts';
import { fillSigstorePlaceholders, type GpgKeyFiles, type SigstoreKeyFiles } from './signature-files.ts';
import { SCENARIO_CODE } from './table-reader.ts';
import type { Scenario } from './types.ts';

const AT = 'config.cluster-objects';

/** Non-empty stand-ins: the MCO refuses an empty keyData, and only the shape matters before the mocks start. */
const STAND_IN_SIGSTORE: SigstoreKeyFiles = { path: '/dev/null/sigstore.pub', pem: '-----BEGIN PUBLIC KEY-----\n(generated when the mocks start)\n-----END PUBLIC KEY-----\n' };
const STAND_IN_GPG: GpgKeyFiles = { path: '/dev/null/gpg.pub', armored: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n(generated when the mocks start)\n-----END PGP PUBLIC KEY BLOCK-----\n' };

/** The stand-in keys for the kinds the scenario's mocks sign with (null where none signs: a placeholder is then an error). */
export function standInKeys(scenario: Scenario): { sigstore: SigstoreKeyFiles | null; gpg: GpgKeyFiles | null } {
  return {
    sigstore: scenario.mocks.some((m) => specSigns(m.spec)) ? STAND_IN_SIGSTORE : null,
    gpg: scenario.mocks.some((m) => specSignsGpg(m.spec)) ? STAND_IN_GPG : null,
  };
}

/**
 * Fills the key placeholders of `config.cluster-objects` and renders it.
 * @throws ConfigError naming the scenario and the MCO's objection (exit 2).
 */
export function renderScenarioClusterObjects(
  scenario: Scenario,
  key: SigstoreKeyFiles | null,
  gpg: GpgKeyFiles | null,
): { texts: OpenShiftConfigTexts; hasImagePolicies: boolean } {
  const ref = scenario.config.clusterObjects;
  if (ref === null || ref.text === null) throw new Error('internal: the scenario has no cluster objects (or they were not read)');
  const text = fillSigstorePlaceholders(ref.text, key, scenario.file, gpg, AT);
  try {
    const objects = parseOpenShiftObjects([{ path: ref.path, text }]);
    // ClusterImagePolicy/ImagePolicy given: they, not config.policy-json, are the node's signature policy.
    return { texts: openShiftToConfigTexts(objects), hasImagePolicies: (objects.imagePolicies?.length ?? 0) > 0 };
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new ConfigError(`${scenario.file}: ${AT}: the Machine Config Operator would refuse these objects: ${err.message}`, { file: scenario.file, code: SCENARIO_CODE });
    }
    throw err;
  }
}

/** policy.json and each `/etc/crio/policies/NS.json`, parsed as the runtime parses them. */
export interface ClusterPolicies {
  policy: Policy;
  namespaced: Map<string, Policy>;
}

export function parseClusterPolicies(scenario: Scenario, t: OpenShiftConfigTexts): ClusterPolicies {
  const parse = (json: string, path: string): Policy => {
    try {
      return parsePolicy(json, `${scenario.file}#${AT}(${path})`);
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(`${scenario.file}: ${AT}: rendered ${path}: ${err.message}`, { file: scenario.file, code: SCENARIO_CODE });
      throw err;
    }
  };
  const namespaced = new Map<string, Policy>();
  for (const p of t.namespacedPolicies) namespaced.set(p.namespace, parse(p.json, p.path));
  return { policy: parse(t.policyJson, '/etc/containers/policy.json'), namespaced };
}

/** The rendered registries.d files (sigstore-registries.yaml), as scenarioRegistriesD takes them beside the scenario's own. */
export function renderedRegistriesD(scenario: Scenario, t: OpenShiftConfigTexts): { name: string; text: string; path: string }[] {
  return t.registriesD.map((f) => ({ name: f.path.slice(f.path.lastIndexOf('/') + 1), text: f.text, path: `${scenario.file}#${AT}(${f.path})` }));
}
