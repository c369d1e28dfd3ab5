/**
 * Short-name resolution as `pkg/shortnames.Resolve` does it with no terminal (podman, buildah, CRI-O):
 * a name that is not short gives one candidate; a short name is looked up as an alias (the user alias cache
 * first, then registries.conf and its drop-ins), else expanded with every unqualified-search registry.
 * `short-name-mode` then decides: enforcing with several candidates is an error (no prompt is possible),
 * permissive and disabled use all candidates in order.
 */
import type { AliasEntry, RegistriesConfig } from '../config/types.ts';
import { parseShortName, tryParseNormalizedNamed, type Reference } from '../reference/index.ts';

export interface ShortNameCandidateRef {
  ref: Reference;
  /** "alias from FILE", "unqualified-search-registries entry N (FILE)", or "fully qualified". */
  why: string;
}

export interface ShortNameOutcome {
  /** False when the input names a registry (then the single candidate is the normalized name). */
  isShort: boolean;
  candidates: ShortNameCandidateRef[];
  /** The runtime's line: `Resolved "x" as an alias (FILE)` / `Resolving "x" using unqualified-search registries (FILE)`; "" otherwise. */
  description: string;
  /** The runtime's error text, or null. When set, `candidates` is empty. */
  error: string | null;
  /** Explanations of the mode decision, in words. */
  notes: string[];
}

function failed(isShort: boolean, error: string): ShortNameOutcome {
  return { isShort, candidates: [], description: '', error, notes: [] };
}

/** The alias for `name`: the user cache wins, even an entry that erases the name (value ""). */
function lookupAlias(conf: RegistriesConfig, name: string): AliasEntry | null {
  return conf.userAliases.get(name) ?? conf.aliases.get(name) ?? null;
}

/** Re-attaches the user's tag and digest to an alias target and adds `:latest` when there is neither. */
function withUserTagAndDigest(target: Reference, typed: Reference): Reference {
  return target.withTagAndDigest(typed.tag, typed.digest).tagNameOnly();
}

export function resolveShortName(conf: RegistriesConfig, input: string): ShortNameOutcome {
  const mode = conf.shortNameMode === '' ? 'permissive' : conf.shortNameMode;
  const parsed = parseShortName(input);
  if (!parsed.ok) return failed(false, parsed.error);
  if (!parsed.isShort) {
    return {
      isShort: false,
      candidates: [{ ref: parsed.ref.tagNameOnly(), why: 'fully qualified: no short-name resolution' }],
      description: '',
      error: null,
      notes: [],
    };
  }

  const typed = parsed.ref;
  const userInput = typed.name();
  // The runtime reads the user alias cache at every lookup, so a bad cache file fails here, not at load.
  if (conf.userAliasesError) return failed(true, conf.userAliasesError);
  const alias = lookupAlias(conf, userInput);
  if (alias !== null && alias.value !== '') {
    const target = tryParseNormalizedNamed(alias.value);
    if (!target.ok) return failed(true, `parsing alias "${alias.value}": ${target.error}`);
    return {
      isShort: true,
      candidates: [{ ref: withUserTagAndDigest(target.ref, typed), why: `alias from ${alias.origin.file}` }],
      description: `Resolved "${userInput}" as an alias (${alias.origin.file})`,
      error: null,
      notes: [],
    };
  }

  const notes: string[] = [];
  if (alias !== null) notes.push(`alias "${userInput}" is erased in ${alias.origin.file}`);
  const usr = conf.unqualifiedSearchRegistries ?? [];
  const origin = conf.unqualifiedSearchOrigin ?? '';
  if (usr.length === 0) {
    if (origin !== '') {
      return failed(
        true,
        `short-name "${input}" did not resolve to an alias and no unqualified-search registries are defined in "${origin}"`,
      );
    }
    return failed(true, `short-name "${input}" did not resolve to an alias and no containers-registries.conf(5) was found`);
  }
  const candidates: ShortNameCandidateRef[] = [];
  for (let i = 0; i < usr.length; i++) {
    const registry = usr[i]!;
    const r = tryParseNormalizedNamed(`${registry}/${input}`);
    if (!r.ok) return failed(true, `creating reference with unqualified-search registry "${registry}": ${r.error}`);
    candidates.push({ ref: r.ref.tagNameOnly(), why: `unqualified-search-registries entry ${i + 1} in ${origin}` });
  }
  if (candidates.length > 1) {
    if (mode === 'enforcing') {
      return failed(true, 'short-name resolution enforced but cannot prompt without a TTY');
    }
    notes.push(
      mode === 'disabled'
        ? `short-name-mode "disabled": all ${candidates.length} candidates are tried in order, never prompting`
        : `short-name-mode "permissive" with no terminal: all ${candidates.length} candidates are tried in order`,
    );
  }
  return {
    isShort: true,
    candidates,
    description: `Resolving "${userInput}" using unqualified-search registries (${origin})`,
    error: null,
    notes,
  };
}

/**
 * `shortnames.ResolveLocally`: the names podman looks up in local storage for `input`, in order: the alias
 * (if any), `localhost/NAME`, then `REGISTRY/NAME` for each unqualified-search registry. A name that is not
 * short is itself. No mode applies (nothing is pulled, nothing is prompted).
 */
export function resolveShortNameLocally(conf: RegistriesConfig, input: string): { candidates: Reference[]; error: string | null } {
  const parsed = parseShortName(input);
  if (!parsed.ok) return { candidates: [], error: parsed.error };
  if (!parsed.isShort) return { candidates: [parsed.ref.tagNameOnly()], error: null };
  if (conf.userAliasesError) return { candidates: [], error: conf.userAliasesError };
  const typed = parsed.ref;
  const candidates: Reference[] = [];
  const alias = lookupAlias(conf, typed.name());
  if (alias !== null && alias.value !== '') {
    const target = tryParseNormalizedNamed(alias.value);
    if (!target.ok) return { candidates: [], error: `parsing alias "${alias.value}": ${target.error}` };
    candidates.push(withUserTagAndDigest(target.ref, typed));
  }
  for (const registry of ['localhost', ...(conf.unqualifiedSearchRegistries ?? [])]) {
    const r = tryParseNormalizedNamed(`${registry}/${input}`);
    if (!r.ok) return { candidates: [], error: `creating reference with unqualified-search registry "${registry}": ${r.error}` };
    candidates.push(r.ref.tagNameOnly());
  }
  return { candidates, error: null };
}
