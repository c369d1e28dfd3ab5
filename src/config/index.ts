/**
 * registries.conf as containers/image reads it: v2 and v1 files, drop-ins, the user alias cache, validation
 * with the runtime's error texts, and file discovery.
 *
 * @example
 *   import { loadRegistriesConf, loadRegistriesConfFromTexts } from '../config/index.ts';
 *   const { config } = await loadRegistriesConf({ registriesConf: '/etc/containers/registries.conf' });
 */
export { loadRegistriesConfFromTexts, loadOneText } from './load-texts.ts';
export type { LoadTextsInput } from './load-texts.ts';
export { loadRegistriesConf, discoverRegistriesConf } from './load-files.ts';
export type { LoadFilesOptions, DiscoveredTexts, LoadedRegistriesConf } from './load-files.ts';
export { decodeRegistriesConf, parseToml } from './decode-file.ts';
export type { RawConfigFile, RawRegistry, RawMirror, RawAlias, RawV1, UnknownKey } from './decode-file.ts';
export { validateConfigFile } from './validate-file.ts';
export type { ValidatedConfigFile } from './validate-file.ts';
export { RegistriesConfError, runtimeErrorText } from './config-error.ts';
export { parseLocation } from './location.ts';
export { shortNameKeyError, aliasValue, aliasError } from './aliases.ts';
export { scanTomlSections } from './toml-lines.ts';
export type { TomlSection } from './toml-lines.ts';
export type * from './types.ts';
