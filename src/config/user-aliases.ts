/**
 * The user's short-name alias cache (`$HOME/.cache/containers/short-name-aliases.conf`, research §8.3).
 * The runtime reads it on every alias lookup, not at config load, so a bad file does not fail the load: it
 * fails each short-name resolution with `loading short-name aliases config file "F": …`. We keep that error
 * as data (`userAliasesError`) for the resolver to report at the same moment.
 */
import { aliasError, aliasValue } from './aliases.ts';
import { runtimeErrorText } from './config-error.ts';
import { parseToml } from './decode-file.ts';
import { scanTomlSections } from './toml-lines.ts';
import type { AliasEntry, ConfigText } from './types.ts';

export interface UserAliases {
  aliases: Map<string, AliasEntry>;
  path: string | null;
  /** The file existed and was read (even if it failed to validate). */
  read: boolean;
  error: string | null;
}

export function loadUserAliases(text: ConfigText | null, path: string | null): UserAliases {
  const aliases = new Map<string, AliasEntry>();
  if (text === null) return { aliases, path, read: false, error: null };
  const file = path ?? text.path;
  const wrap = (e: string): UserAliases => ({
    aliases: new Map(),
    path: file,
    read: true,
    error: `loading short-name aliases config file "${file}": ${e}`,
  });
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text.text, file);
  } catch (err) {
    return wrap(runtimeErrorText(err));
  }
  const table = Object.entries(doc).find(([k]) => k.toLowerCase() === 'aliases')?.[1];
  if (table === undefined) return { aliases, path: file, read: true, error: null };
  if (table === null || typeof table !== 'object' || Array.isArray(table)) {
    return wrap('toml: (last key "aliases"): incompatible types: TOML value is not a table; destination has type map');
  }
  const section = scanTomlSections(text.text).find((s) => !s.arrayTable && s.name.toLowerCase() === 'aliases');
  const errors: string[] = [];
  for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      errors.push(`toml: (last key "aliases.${name}"): incompatible types: TOML value is not a string; destination has type string`);
      continue;
    }
    const err = aliasError(name, value);
    if (err !== null) {
      errors.push(err);
      continue;
    }
    const v = aliasValue(value);
    const line = section?.keys.get(name);
    aliases.set(name, { name, value: v.ok ? v.value : '', origin: line !== undefined ? { file, line } : { file } });
  }
  if (errors.length > 0) return wrap(errors.join('\n'));
  return { aliases, path: file, read: true, error: null };
}
