/**
 * The resolver for commands that pull (pull, verify, load, probe canaries): resolverFromSetup, plus, under
 * --runtime containerd, the hosts containerd walks to fetch content after a tag resolved (every `pull` host,
 * including `pull`-only mirrors that a tag's `sources` leave out: src/pull/containerd-fetch-hosts.ts).
 */
import type { Resolution } from '../src/resolve/resolution.ts';
import { withContainerdFetchHosts } from '../src/pull/containerd-fetch-hosts.ts';
import { resolverFromSetup, type Setup } from './config-flags.ts';

export function pullResolverFromSetup(setup: Setup): (arg: string) => Resolution {
  const resolve = resolverFromSetup(setup);
  const ctrd = setup.containerd;
  if (!ctrd) return resolve;
  return (arg) => withContainerdFetchHosts(ctrd, resolve(arg));
}
