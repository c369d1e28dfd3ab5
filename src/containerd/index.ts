/**
 * containerd's resolution model: hosts.toml trees and containerd's config.toml → the same Resolution type as
 * containers/image resolution (`runtime: 'containerd'`). Pure; read-tree.ts does the file reading.
 *
 * @example
 *   const setup = containerdSetupFromTexts({ hostsDirs: [{ dir: '/etc/containerd/certs.d', hosts: { 'quay.io': { path, text } } }] });
 *   resolveContainerd(setup, 'quay.io/org/app:1').sources; // [[host]] tables in order, then server / the registry
 */
export type { ContainerdCapability, ContainerdCompat, ContainerdEndpoint } from './endpoint.ts';
export { containerdSetupFromTexts } from './setup.ts';
export type { ContainerdSetup, ContainerdSetupInput, ContainerdProblem, ContainerdWarning, HostDirEntry, HostsDirInput } from './setup.ts';
export { resolveContainerd, nsFor } from './resolve.ts';
export { parseHostsFile } from './hosts-file.ts';
export type { HostEntry, HostsFileResult } from './hosts-file.ts';
export { parseContainerdConfig } from './config-toml.ts';
export type { ContainerdRegistryConfig } from './config-toml.ts';
export { hostDirectoryName, hostDirCandidates, findHostDir } from './host-dirs.ts';
export { goParseUrl, goPathClean, isLocalhost } from './go-url.ts';
export { readHostsDir, readHostsDirs, readContainerdConfig } from './read-tree.ts';
export { lintContainerd } from './lint.ts';
export type { ContainerdLintInput, ContainerdLintReport } from './lint.ts';
