/**
 * Everything about a scenario that needs no network: its registries.conf (given, or rendered from
 * OpenShift cluster objects by src/openshift) loaded by src/config (the runtime's loader), compiled by
 * src/resolve, and each pull resolved. Done for every file before any
 * scenario runs, so a bad file exits 2 without half a run behind it.
 */
import { ConfigError } from '../errors.ts';
import { loadRegistriesConfFromTexts } from '../config/load-texts.ts';
import type { ConfigText, RegistriesConfig } from '../config/types.ts';
import { compileConfig, resolveArg, type CompiledConfig } from '../resolve/index.ts';
import type { Resolution } from '../resolve/resolution.ts';
import { SCENARIO_CODE } from './table-reader.ts';
import { attributeRenderedOrigins, type RenderedProvenance } from '../openshift/provenance.ts';
import { checkScenarioSignatureConfig, scenarioRegistriesD } from './signature-files.ts';
import { parseClusterPolicies, renderedRegistriesD, renderScenarioClusterObjects, standInKeys } from './cluster-policies.ts';
import type { Scenario, ScenarioFileRef } from './types.ts';
import type { ContainerdSetup } from '../containerd/setup.ts';
import { containerdScenarioResolutions } from './containerd-prepare.ts';

/**
 * "ConfigDirPath" in the runtime's blocked message. Scenarios have no drop-in directory; this is the
 * value skopeo printed in research/skopeo-e2e-findings.md §4, so messages read as on a real node.
 */
export const SCENARIO_CONFIG_DIR = '$HOME/.config/containers/registries.conf.d';

export interface PreparedScenario {
  scenario: Scenario;
  /** The registries.conf and drop-ins as loaded (rendered from cluster objects when the scenario gives them). */
  main: ConfigText;
  dropins: ConfigText[];
  config: RegistriesConfig;
  compiled: CompiledConfig;
  /** One Resolution per `[[pull]]`, same order. */
  resolutions: Resolution[];
  /** A containerd node (`[config] hosts`): what containerd reads; `resolutions` come from it, `config` is empty. */
  containerd?: ContainerdSetup;
}

function text(ref: ScenarioFileRef): ConfigText {
  return { path: ref.path, text: ref.text ?? '' };
}

/**
 * @throws ConfigError naming the scenario file and the registries.conf problem (exit 2).
 * @example const p = prepareScenario(await loadScenario('scenarios/demo.toml')); p.resolutions[0].sources
 */
export function prepareScenario(scenario: Scenario): PreparedScenario {
  const c = scenario.config;
  if (c.containerd) {
    // No registries.conf on a containerd node: an empty one keeps the containers/image fields well-formed.
    const main: ConfigText = { path: `${scenario.file}#config (containerd node: no registries.conf)`, text: '' };
    const config = loadRegistriesConfFromTexts({ main, mainPath: main.path, mainRequired: true, dropins: [], userAliases: null, configDirPath: SCENARIO_CONFIG_DIR });
    const { setup, resolutions } = containerdScenarioResolutions(scenario, c.containerd);
    return { scenario, main, dropins: [], config, compiled: compileConfig(config), resolutions, containerd: setup };
  }
  let main: ConfigText;
  let dropins: ConfigText[];
  let provenance: RenderedProvenance | null = null;
  if (c.clusterObjects) {
    // Rendered as the Machine Config Operator renders them, named by their node paths.
    // Key placeholders get stand-ins here: the mocks (and their keys) do not exist yet (cluster-policies.ts).
    const stand = standInKeys(scenario);
    if (c.clusterObjects.text === null) throw new Error(`internal: ${c.clusterObjects.path} was not read (use loadScenario, not parseScenario, for files with paths)`);
    const { texts: rendered, hasImagePolicies } = renderScenarioClusterObjects(scenario, stand.sigstore, stand.gpg);
    if (hasImagePolicies && (c.policyJson ?? null) !== null) {
      throw new ConfigError(
        `${scenario.file}: config.policy-json: the cluster objects include ClusterImagePolicy/ImagePolicy, which render the node's policy.json; give either policy-json or those objects, not both`,
        { file: scenario.file, code: SCENARIO_CODE },
      );
    }
    // The rendered policies and registries.d must parse as the runtime parses them, before any mock starts.
    if (hasImagePolicies) {
      parseClusterPolicies(scenario, rendered);
      scenarioRegistriesD(scenario, renderedRegistriesD(scenario, rendered));
    }
    main = rendered.main;
    dropins = [...rendered.dropins, ...c.dropins.map(text)];
    provenance = rendered.provenance;
  } else {
    if (!c.registriesConf) throw new ConfigError(`${scenario.file}: config: expected registries-conf`, { file: scenario.file, code: SCENARIO_CODE });
    main = text(c.registriesConf);
    dropins = c.dropins.map(text);
  }
  for (const ref of [c.registriesConf, c.clusterObjects, ...c.dropins]) {
    if (ref && ref.text === null) throw new Error(`internal: ${ref.path} was not read (use loadScenario, not parseScenario, for files with paths)`);
  }
  let config: RegistriesConfig;
  try {
    config = loadRegistriesConfFromTexts({
      main,
      mainPath: main.path,
      mainRequired: true,
      dropins,
      userAliases: null,
      configDirPath: SCENARIO_CONFIG_DIR,
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new ConfigError(`${scenario.file}: config: the registries.conf is rejected as the runtime would reject it: ${err.message}`, {
        file: scenario.file,
        code: SCENARIO_CODE,
      });
    }
    throw err;
  }
  // Rendered entries name the cluster objects they came from, as under --openshift.
  if (provenance !== null) config = attributeRenderedOrigins(config, provenance);
  // policy.json and registries.d: rejected here (exit 2) rather than after the mocks started.
  checkScenarioSignatureConfig(scenario);
  const compiled = compileConfig(config);
  const resolutions = scenario.pulls.map((p) => resolveArg(compiled, p.ref));
  return { scenario, main, dropins, config, compiled, resolutions };
}
