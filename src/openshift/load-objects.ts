/**
 * The only file access of src/openshift: reads YAML files (or every *.yaml/*.yml/*.json in a folder,
 * sorted by name) and template folders, then hands texts to the pure functions.
 */
import { readdir, readFile, stat } from '../fs-async.ts';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { isStdinArg, readInput } from '../read-input.ts';
import type { ConfigText } from '../config/types.ts';
import { parseOpenShiftObjects, type ObjectText } from './parse-objects.ts';
import { templateInline } from './template-inline.ts';
import type { Templates } from './templates.ts';
import type { OpenShiftObjects } from './types.ts';

export async function readObjectTexts(paths: string[]): Promise<ObjectText[]> {
  const texts: ObjectText[] = [];
  for (const p of paths) {
    if (isStdinArg(p)) {
      texts.push(await readInput(p, 'the cluster objects'));
      continue;
    }
    const st = await stat(p).catch(() => {
      throw new ConfigError(`${p}: no such file or directory (expected OpenShift YAML files or a folder of them)`, { file: p, code: 'PP_ERR_OPENSHIFT_INPUT' });
    });
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort();
      if (names.length === 0) throw new ConfigError(`${p}: folder holds no .yaml, .yml or .json files`, { file: p, code: 'PP_ERR_OPENSHIFT_INPUT' });
      for (const n of names) texts.push({ path: join(p, n), text: await readFile(join(p, n), 'utf8'), folder: p });
    } else {
      texts.push({ path: p, text: await readFile(p, 'utf8') });
    }
  }
  return texts;
}

/** Reads and parses OpenShift objects from files and folders. */
export async function loadOpenShiftObjects(paths: string[]): Promise<OpenShiftObjects> {
  return parseOpenShiftObjects(await readObjectTexts(paths));
}

/**
 * Reads base files from DIR: `registries.conf` and `policy.json` as on a node, or the MCO's template form
 * `container-registries.yaml` and `policy.yaml` (their `contents.inline`). A missing one keeps the stock file.
 */
export async function loadTemplates(dir: string, stock: Templates): Promise<Templates> {
  const tryRead = async (name: string): Promise<ConfigText | null> => {
    const path = join(dir, name);
    try {
      return { path, text: await readFile(path, 'utf8') };
    } catch {
      return null;
    }
  };
  const inline = (t: ConfigText): string => {
    const v = templateInline(t.text);
    if (v === null) throw new ConfigError(`${t.path}: contents.inline: expected the file's text (MCO template form)`, { file: t.path, code: 'PP_ERR_OPENSHIFT_TEMPLATE' });
    return v;
  };
  const out: Templates = { ...stock };
  const reg = await tryRead('registries.conf');
  const regYaml = reg === null ? await tryRead('container-registries.yaml') : null;
  if (reg !== null) Object.assign(out, { registriesConf: reg.text, registriesConfFile: reg.path });
  else if (regYaml !== null) Object.assign(out, { registriesConf: inline(regYaml), registriesConfFile: regYaml.path });
  const pol = await tryRead('policy.json');
  const polYaml = pol === null ? await tryRead('policy.yaml') : null;
  if (pol !== null) Object.assign(out, { policyJson: pol.text, policyJsonFile: pol.path });
  else if (polYaml !== null) Object.assign(out, { policyJson: inline(polYaml), policyJsonFile: polYaml.path });
  if (reg === null && regYaml === null && pol === null && polYaml === null) {
    throw new ConfigError(`${dir}: no registries.conf, policy.json, container-registries.yaml or policy.yaml in the template folder`, { file: dir, code: 'PP_ERR_OPENSHIFT_TEMPLATE' });
  }
  return out;
}
