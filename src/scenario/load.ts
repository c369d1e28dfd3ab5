/**
 * The only file access of the scenario module: reads a scenario file and the files it names
 * (registries.conf, drop-ins, cluster objects), relative to the scenario's own folder.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { parseScenario } from './parse.ts';
import { SCENARIO_CODE } from './table-reader.ts';
import type { Scenario, ScenarioFileRef } from './types.ts';

/**
 * Reads and validates one scenario file.
 * @throws ConfigError (code PP_ERR_SCENARIO) naming the file, the key and what was expected.
 * @example const s = await loadScenario('scenarios/demo.toml'); s.pulls.length
 */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the scenario file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      file,
      code: SCENARIO_CODE,
    });
  }
  const scenario = parseScenario(text, file);
  const base = dirname(file);
  const c = scenario.config;
  if (c.registriesConf) c.registriesConf = await fill(c.registriesConf, base, file, 'config.registries-conf-file');
  c.dropins = await Promise.all(c.dropins.map((d, i) => fill(d, base, file, `config.dropins[${i}].file`)));
  if (c.clusterObjects) c.clusterObjects = await fill(c.clusterObjects, base, file, 'config.cluster-objects-file');
  return scenario;
}

async function fill(ref: ScenarioFileRef, base: string, file: string, key: string): Promise<ScenarioFileRef> {
  if (ref.source === 'inline') return ref;
  const abs = resolve(base, ref.path);
  try {
    return { path: abs, text: await readFile(abs, 'utf8'), source: 'file' };
  } catch (err) {
    throw new ConfigError(
      `${file}: ${key}: expected a readable file (relative to the scenario's folder), cannot read ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { file, code: SCENARIO_CODE },
    );
  }
}
