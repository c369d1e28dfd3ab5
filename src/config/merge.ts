/**
 * Merging validated files into one configuration (`updateWithConfigurationFrom`, research §3.3):
 * whole `[[registry]]` entries replaced by prefix (last file wins); lists replaced when the key is present, even
 * as `[]`; short-name-mode replaced when set; aliases merged per key. Sorting happens once, at the end.
 */
import type { AliasEntry, RegistryEntry, ShortNameMode } from './types.ts';
import { comparePrefix, type ValidatedConfigFile } from './validate-file.ts';

export interface MergeState {
  registries: Map<string, RegistryEntry>;
  unqualifiedSearchRegistries: string[] | null;
  unqualifiedSearchOrigin: string;
  credentialHelpers: string[] | null;
  shortNameMode: ShortNameMode;
  aliases: Map<string, AliasEntry>;
}

/** The state after loading the main file (`origin` is its path, even when unqualified-search-registries is unset). */
export function stateFromMain(main: ValidatedConfigFile | null): MergeState {
  const state: MergeState = {
    registries: new Map(),
    unqualifiedSearchRegistries: main?.unqualifiedSearchRegistries ?? null,
    unqualifiedSearchOrigin: main?.path ?? '',
    credentialHelpers: main?.credentialHelpers ?? null,
    shortNameMode: main?.shortNameMode ?? '',
    aliases: new Map(),
  };
  if (main) {
    for (const r of main.registries) state.registries.set(r.prefix, r);
    for (const a of main.aliases ?? []) state.aliases.set(a.name, a);
  }
  return state;
}

export function mergeDropIn(state: MergeState, dropin: ValidatedConfigFile): void {
  for (const r of dropin.registries) state.registries.set(r.prefix, r);
  if (dropin.unqualifiedSearchRegistries !== null) {
    state.unqualifiedSearchRegistries = dropin.unqualifiedSearchRegistries;
    state.unqualifiedSearchOrigin = dropin.path;
  }
  if (dropin.credentialHelpers !== null) state.credentialHelpers = dropin.credentialHelpers;
  if (dropin.shortNameMode !== '') state.shortNameMode = dropin.shortNameMode;
  for (const a of dropin.aliases ?? []) state.aliases.set(a.name, a);
}

/** Registries sorted by prefix, as FindRegistry iterates them. */
export function sortedRegistries(state: MergeState): RegistryEntry[] {
  return [...state.registries.values()].sort((a, b) => comparePrefix(a.prefix, b.prefix));
}
