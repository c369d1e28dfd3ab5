/** Builds a RegistriesConfig from TOML text with A2's pure loader, as the runtime would load that one file. */
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import type { CompatVersion, RegistriesConfig } from '../../src/config/types.ts';

export function confFrom(
  text: string,
  opts: { path?: string; compat?: CompatVersion; userAliases?: string; dropins?: { path: string; text: string }[] } = {},
): RegistriesConfig {
  const path = opts.path ?? 'test.conf';
  return loadRegistriesConfFromTexts({
    main: { path, text },
    mainPath: path,
    dropins: opts.dropins ?? [],
    userAliases: opts.userAliases === undefined ? null : { path: 'aliases.conf', text: opts.userAliases },
    userAliasesPath: 'aliases.conf',
    configDirPath: 'test.conf.d',
    compat: opts.compat ?? '5.23',
  });
}
