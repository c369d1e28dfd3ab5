/**
 * The only file access of the scenario module: reads a scenario file and the files it names
 * (registries.conf, drop-ins, cluster objects), relative to the scenario's own folder.
 */
import { readFile } from '../fs-async.ts';
import { dirname, resolve } from 'node:path';
import { ConfigError, UsageError } from '../errors.ts';
import { isStdinArg, readInput, STDIN_NAME } from '../read-input.ts';
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
    ({ text } = await readInput(file, 'a scenario'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new ConfigError(`${file}: cannot read the scenario file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      file,
      code: SCENARIO_CODE,
    });
  }
  const name = isStdinArg(file) ? STDIN_NAME : file;
  const scenario = parseScenario(text, name);
  // A scenario on standard input names its files relative to the current folder.
  const base = isStdinArg(file) ? '.' : dirname(file);
  file = name;
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
