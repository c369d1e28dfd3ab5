/**
 * The merged registries configuration, as containers/image holds it after loading the main file,
 * drop-ins and the user alias cache. Pure data: produced by `src/config/`, read by `src/resolve/`.
 * Every item remembers where it came from, for explanations and lint messages.
 */

/** Where a config item came from, for explanations: `file:line` when the line is known. */
export interface Origin {
  file: string;
  line?: number;
  /**
   * Set when `file` was rendered in memory from OpenShift cluster objects (`--openshift`): the objects the
   * item came from. `file` is then only the node path the runtime would read, not a file on this machine.
   */
  rendered?: RenderedFrom[];
}

/** One cluster object (or the base template) a rendered item came from. */
export interface RenderedFrom {
  /** `Kind/name`, e.g. `ImageDigestMirrorSet/release`; '' for the MCO's base template. */
  object: string;
  /** The YAML file holding the object (or the template's name). */
  file: string;
  /** 1-based line in `file` of the rule or list item. */
  line?: number;
  /** YAML key path of the rule or list item, e.g. `spec.imageDigestMirrors[0]`. */
  key?: string;
}

export type PullFromMirror = '' | 'all' | 'digest-only' | 'tag-only';
export type ShortNameMode = '' | 'enforcing' | 'permissive' | 'disabled';

/** A `[[registry.mirror]]` table. */
export interface MirrorEndpoint {
  location: string;
  insecure: boolean;
  pullFromMirror: PullFromMirror;
  origin: Origin;
}

/** A `[[registry]]` table after post-processing (prefix defaulted to location, locations normalized). */
export interface RegistryEntry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: MirrorEndpoint[];
  origin: Origin;
}

/** One `[aliases]` value: short name → fully qualified reference. */
export interface AliasEntry {
  name: string;
  value: string;
  origin: Origin;
}

/** Which library behaviour to emulate where versions differ (`--compat`). */
export type CompatVersion = '5.23' | '5.40';

export interface RegistriesConfig {
  /** Merged entries, sorted by prefix (byte order), as FindRegistry iterates them. */
  registries: RegistryEntry[];
  /** null = unset in every file. */
  unqualifiedSearchRegistries: string[] | null;
  /** The file that last set unqualified-search-registries (for "Resolving … using unqualified-search registries (FILE)"). */
  unqualifiedSearchOrigin: string | null;
  shortNameMode: ShortNameMode;
  credentialHelpers: string[];
  /** Aliases from the main file and drop-ins, merged (later files win). `value` is normalized; '' = erased alias (origin = the file that erased it). */
  aliases: Map<string, AliasEntry>;
  /** The user alias cache (`$HOME/.cache/containers/short-name-aliases.conf`), consulted before `aliases`. */
  userAliases: Map<string, AliasEntry>;
  /** Path of the user alias cache file, whether or not it exists. */
  userAliasesPath: string | null;
  /**
   * The runtime reads the user alias cache at each short-name lookup, so a bad cache file fails short-name
   * resolution (with this text: `loading short-name aliases config file "F": …`), not the config load.
   * null when the file is absent or valid. `userAliases` is empty when this is set.
   */
  userAliasesError?: string | null;
  /** "ConfigPath" in the runtime's messages: the main file's path (even if it does not exist). */
  configPath: string;
  /** "ConfigDirPath" in the runtime's messages (the user drop-in dir when that is used). */
  configDirPath: string;
  /** Files actually read, in load order. */
  files: string[];
  compat: CompatVersion;
}

/** One input file, already read: the loaders work on texts so that tests, scenarios and OpenShift rendering share them. */
export interface ConfigText {
  path: string;
  text: string;
}
