/** Builds DiffSides from registries.conf texts (and policy.json texts) for the diff tests. */
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import type { RegistriesConfig } from '../../src/config/types.ts';
import type { DiffSide } from '../../src/diff/run-diff.ts';
import { parsePolicy } from '../../src/policy/index.ts';

export function conf(text: string, path = '/etc/containers/registries.conf'): RegistriesConfig {
  return loadRegistriesConfFromTexts({ main: { path, text }, mainPath: path, mainRequired: true, dropins: [], configDirPath: '/nonexistent.d' });
}

export function side(text: string, policy?: string, path?: string): DiffSide {
  const files = new Map<string, string | null>([['/etc/containers/registries.conf', text]]);
  if (policy !== undefined) files.set('/etc/containers/policy.json', policy);
  return { config: conf(text, path), policy: policy === undefined ? null : parsePolicy(policy, 'policy.json'), nodeFiles: files };
}
