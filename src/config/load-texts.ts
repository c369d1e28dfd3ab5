/**
 * The pure loader: registries.conf, its drop-ins and the user alias cache, already read, → RegistriesConfig.
 * Tests, scenarios and OpenShift rendering use this directly; `load-files.ts` is the thin I/O edge around it.
 *
 * @example
 *   const conf = loadRegistriesConfFromTexts({
 *     main: { path: '/etc/containers/registries.conf', text: '[[registry]]\nlocation = "quay.io"\n' },
 *     mainPath: '/etc/containers/registries.conf',
 *     dropins: [],
 *   });
 *   conf.registries[0].prefix; // 'quay.io'
 */
import { RegistriesConfError, wrapLoadError } from './config-error.ts';
import { decodeRegistriesConf, type RawConfigFile } from './decode-file.ts';
import { mergeDropIn, sortedRegistries, stateFromMain } from './merge.ts';
import { loadUserAliases } from './user-aliases.ts';
import { validateConfigFile, type ValidatedConfigFile } from './validate-file.ts';
import type { AliasEntry, CompatVersion, ConfigText, RegistriesConfig } from './types.ts';

export interface LoadTextsInput {
  /** The main file's text, or null when it does not exist. */
  main: ConfigText | null;
  /** The main file's path (ConfigPath in messages), even when it does not exist. */
  mainPath: string;
  /** When true, a missing main file is an error (an explicit `--registries-conf`), as the runtime does. */
  mainRequired?: boolean;
  /** Drop-in files in load order. */
  dropins: ConfigText[];
  /** The user alias cache text, or null when it does not exist. */
  userAliases?: ConfigText | null;
  userAliasesPath?: string | null;
  /** The user alias cache exists but could not be read: a short-name lookup error, as the runtime reads it at lookup. */
  userAliasesReadError?: string | null;
  /** ConfigDirPath in messages (the user drop-in dir in the default case). */
  configDirPath?: string;
  compat?: CompatVersion;
}

/** Loads and validates one file as the runtime's `loadConfigFile`, wrapping errors with its file prefix. */
export function loadOneText(
  text: ConfigText,
  opts: { dropin: boolean; compat: CompatVersion; decoded?: RawConfigFile | undefined },
): ValidatedConfigFile {
  // v5.40 loads every file the same way, with the same wrapper; v5.23 distinguishes drop-ins.
  const prefix =
    opts.dropin && opts.compat !== '5.40'
      ? `loading drop-in registries configuration "${text.path}": `
      : `loading registries configuration "${text.path}": `;
  try {
    const raw = opts.decoded ?? decodeRegistriesConf(text.text, text.path);
    return validateConfigFile(raw, { forceV2: opts.dropin, compat: opts.compat });
  } catch (err) {
    throw wrapLoadError(err, prefix, text.path);
  }
}

/**
 * Throws RegistriesConfError (a ConfigError) with the file and, when known, the line.
 * `decoded` (by path) lets a caller that already decoded the texts (lint) skip decoding them twice.
 */
export function loadRegistriesConfFromTexts(input: LoadTextsInput, decoded?: ReadonlyMap<string, RawConfigFile>): RegistriesConfig {
  const compat = input.compat ?? '5.23';
  const files: string[] = [];
  let main: ValidatedConfigFile | null = null;
  if (input.main !== null) {
    main = loadOneText(input.main, { dropin: false, compat, decoded: decoded?.get(input.main.path) });
    files.push(input.main.path);
  } else if (input.mainRequired) {
    throw new RegistriesConfError(
      `loading registries configuration "${input.mainPath}": open ${input.mainPath}: no such file or directory`,
      { file: input.mainPath, code: 'PP_ERR_CONFIG_NOT_FOUND' },
    );
  }
  const state = stateFromMain(main);
  for (const d of input.dropins) {
    mergeDropIn(state, loadOneText(d, { dropin: true, compat, decoded: decoded?.get(d.path) }));
    files.push(d.path);
  }

  const user = loadUserAliases(input.userAliases ?? null, input.userAliasesPath ?? input.userAliases?.path ?? null);
  if (user.read) files.push(user.path!);
  if (input.userAliasesReadError) user.error = input.userAliasesReadError;

  const helpers = state.credentialHelpers !== null && state.credentialHelpers.length > 0 ? state.credentialHelpers : ['containers-auth.json'];
  return {
    registries: sortedRegistries(state),
    unqualifiedSearchRegistries: state.unqualifiedSearchRegistries,
    unqualifiedSearchOrigin: state.unqualifiedSearchOrigin === '' ? null : state.unqualifiedSearchOrigin,
    shortNameMode: state.shortNameMode === '' ? 'permissive' : state.shortNameMode,
    credentialHelpers: helpers,
    aliases: state.aliases,
    userAliases: user.aliases,
    userAliasesPath: user.path,
    userAliasesError: user.error,
    configPath: input.mainPath,
    configDirPath: input.configDirPath ?? '',
    files,
    compat,
  };
}

export type { AliasEntry };
