/**
 * A containerd scenario's resolutions: its hosts directories placed under `hosts-root` on a pretend node, its
 * config.toml deciding whether containerd reads them (`config_path`), then src/containerd's resolver per pull,
 * with the fetch walk containerd uses after a tag resolves (every `pull` host).
 */
import { containerdSetupFromTexts, type ContainerdSetup, type HostsDirInput } from '../containerd/setup.ts';
import { resolveContainerd } from '../containerd/resolve.ts';
import type { Resolution } from '../resolve/resolution.ts';
import type { Scenario, ScenarioContainerd } from './types.ts';

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

function hostsDirAt(root: string, c: ScenarioContainerd): HostsDirInput {
  const hosts: HostsDirInput['hosts'] = {};
  if (trimSlash(root) === trimSlash(c.root)) {
    for (const [name, text] of Object.entries(c.hosts)) hosts[name] = text === null ? null : { path: `${trimSlash(c.root)}/${name}/hosts.toml`, text };
  }
  return { dir: root, hosts };
}

/** The setup containerd would build on that node. */
export function scenarioContainerdSetup(scenario: Scenario, c: ScenarioContainerd): ContainerdSetup {
  if (c.config === null) return containerdSetupFromTexts({ hostsDirs: [hostsDirAt(c.root, c)], compat: c.compat });
  const configToml = { path: `${scenario.file}#config.containerd-config`, text: c.config };
  // config_path decides which roots containerd reads: only those that are the scenario's hosts-root hold files.
  const roots = containerdSetupFromTexts({ hostsDirs: [], configToml, compat: c.compat }).config?.roots ?? [];
  return containerdSetupFromTexts({ hostsDirs: roots.map((r) => hostsDirAt(r, c)), configToml, compat: c.compat });
}

/** One Resolution per `[[pull]]`, in order. */
export function containerdScenarioResolutions(scenario: Scenario, c: ScenarioContainerd): { setup: ContainerdSetup; resolutions: Resolution[] } {
  const setup = scenarioContainerdSetup(scenario, c);
  return { setup, resolutions: scenario.pulls.map((p) => resolveContainerd(setup, p.ref)) };
}

/** Resolves more references on the scenario's containerd node (`pullpath load --scenario FILE REF…`). */
export function scenarioContainerdResolver(setup: ContainerdSetup): (ref: string) => Resolution {
  return (ref) => resolveContainerd(setup, ref);
}
