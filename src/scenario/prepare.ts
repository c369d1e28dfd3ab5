/**
 * Everything about a scenario that needs no network: its registries.conf loaded by src/config (the
 * runtime's loader), compiled by src/resolve, and each pull resolved. Done for every file before any
 * scenario runs, so a bad file exits 2 without half a run behind it.
 */
import { ConfigError } from '../errors.ts';
import { loadRegistriesConfFromTexts } from '../config/load-texts.ts';
import type { ConfigText, RegistriesConfig } from '../config/types.ts';
import { compileConfig, resolveArg, type CompiledConfig } from '../resolve/index.ts';
import type { Resolution } from '../resolve/resolution.ts';
import { SCENARIO_CODE } from './table-reader.ts';
import type { Scenario, ScenarioFileRef } from './types.ts';

/**
 * "ConfigDirPath" in the runtime's blocked message. Scenarios have no drop-in directory; this is the
 * value skopeo printed in research/skopeo-e2e-findings.md §4, so messages read as on a real node.
 */
export const SCENARIO_CONFIG_DIR = '$HOME/.config/containers/registries.conf.d';

export interface PreparedScenario {
  scenario: Scenario;
  config: RegistriesConfig;
  compiled: CompiledConfig;
  /** One Resolution per `[[pull]]`, same order. */
  resolutions: Resolution[];
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
  if (c.clusterObjects) {
    throw new ConfigError(
      `${scenario.file}: config.cluster-objects: rendering OpenShift cluster objects inside a scenario is not wired in yet; expected registries-conf (render the objects with \`pullpath render\` and paste the result)`,
      { file: scenario.file, code: SCENARIO_CODE },
    );
  }
  if (!c.registriesConf) throw new ConfigError(`${scenario.file}: config: expected registries-conf`, { file: scenario.file, code: SCENARIO_CODE });
  for (const ref of [c.registriesConf, ...c.dropins]) {
    if (ref.text === null) throw new Error(`internal: ${ref.path} was not read (use loadScenario, not parseScenario, for files with paths)`);
  }
  let config: RegistriesConfig;
  try {
    config = loadRegistriesConfFromTexts({
      main: text(c.registriesConf),
      mainPath: c.registriesConf.path,
      mainRequired: true,
      dropins: c.dropins.map(text),
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
  const compiled = compileConfig(config);
  const resolutions = scenario.pulls.map((p) => resolveArg(compiled, p.ref));
  return { scenario, config, compiled, resolutions };
}
