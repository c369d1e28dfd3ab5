/**
 * Validating ONE decoded file as `loadConfigFile` does (research §2), in the runtime's exact order:
 * V1 detection/conversion, `postProcessRegistries` (locations, prefixes, pull-from-mirror, conflicts keyed by
 * location, unqualified-search-registries, dedupe + sort), short-name-mode, wildcard form, aliases.
 * The first error wins, worded as the runtime words it, with the line of the offending table or key.
 */
import { anchoredDomainRegexp } from '../reference/index.ts';
import { RegistriesConfError } from './config-error.ts';
import type { RawConfigFile, RawRegistry } from './decode-file.ts';
import { aliasError, aliasValue } from './aliases.ts';
import { parseLocation } from './location.ts';
import { goQuote } from '../go-quote.ts';
import { convertV1, v1IsSet, v1Nonempty, v2Nonempty } from './v1-convert.ts';
import type { AliasEntry, CompatVersion, MirrorEndpoint, PullFromMirror, RegistryEntry, ShortNameMode } from './types.ts';

export interface ValidatedConfigFile {
  path: string;
  /** Post-processed: first duplicate prefix kept, sorted by prefix (byte order). */
  registries: RegistryEntry[];
  /** null = key absent in this file. */
  unqualifiedSearchRegistries: string[] | null;
  credentialHelpers: string[] | null;
  /** '' = unset in this file. */
  shortNameMode: ShortNameMode;
  /** null = no `[aliases]` table. Values normalized; '' = erased. */
  aliases: AliasEntry[] | null;
}

export interface ValidateOptions {
  /** Drop-ins must be V2 (classic loader). */
  forceV2: boolean;
  compat: CompatVersion;
}

const PULL_FROM_MIRROR_VALUES = new Set(['', 'all', 'digest-only', 'tag-only']);
const SHORT_NAME_MODES = new Set(['enforcing', 'permissive', 'disabled']);

/** Byte-order comparison, as Go's `<` on strings (JS `<` compares UTF-16 units; same for ASCII). */
export function comparePrefix(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function validateConfigFile(raw: RawConfigFile, opts: ValidateOptions): ValidatedConfigFile {
  const file = raw.path;
  const fail = (text: string, line: number | undefined, code = 'PP_ERR_CONFIG_INVALID'): never => {
    throw new RegistriesConfError(text, { file, line, code });
  };

  let registries: RawRegistry[] = raw.registries ?? [];
  let usr = raw.unqualifiedSearchRegistries;
  let usrLine = raw.unqualifiedSearchLine;

  // 3. V1 detection. v5.23 only looks at non-empty V1 lists; v5.40 refuses any V1 key.
  if (opts.compat === '5.40') {
    if (v1IsSet(raw.v1)) fail('registries.conf must be in v2 format but is in v1', raw.v1.line, 'PP_ERR_CONFIG_V1');
  } else if (v1Nonempty(raw.v1)) {
    if (opts.forceV2) fail('registry must be in v2 format but is in v1', raw.v1.line, 'PP_ERR_CONFIG_V1');
    if (v2Nonempty(raw)) fail('mixing sysregistry v1/v2 is not supported', raw.v1.line, 'PP_ERR_CONFIG_V1_MIXED');
    const converted = convertV1(raw.v1);
    if (!converted.ok) fail(converted.error, converted.line);
    else {
      registries = converted.registries;
      usr = raw.v1.search;
      usrLine = raw.v1.lines?.search ?? raw.v1.line;
    }
  }

  // 4. postProcessRegistries.
  const entries: RegistryEntry[] = [];
  const byLocation = new Map<string, RegistryEntry[]>();
  for (const reg of registries) {
    const locLine = reg.keyLines.get('location') ?? reg.line;
    const loc = parseLocation(reg.location);
    if (!loc.ok) return fail(loc.error, locLine);
    let prefix: string;
    if (reg.prefix === '') {
      if (loc.value === '') fail('invalid condition: both location and prefix are unset', reg.line);
      prefix = loc.value;
    } else {
      const p = parseLocation(reg.prefix);
      if (!p.ok) return fail(p.error, reg.keyLines.get('prefix') ?? reg.line);
      prefix = p.value;
      if (!prefix.startsWith('*.') && loc.value === '') {
        fail('invalid condition: location is unset and prefix is not in the format: *.example.com', reg.line);
      }
    }
    if (reg.pullFromMirror !== '') {
      fail(`pull-from-mirror must not be set for a non-mirror registry ${goQuote(prefix)}`, reg.keyLines.get('pull-from-mirror') ?? reg.line);
    }
    const mirrors: MirrorEndpoint[] = [];
    for (const m of reg.mirrors) {
      const ml = parseLocation(m.location);
      if (!ml.ok) return fail(ml.error, m.keyLines.get('location') ?? m.line);
      if (ml.value === '') fail('invalid condition: mirror location is unset', m.line);
      // Before v5.35 the trimmed mirror location was checked but not stored (research §12).
      const stored = opts.compat === '5.40' ? ml.value : m.location;
      if (reg.mirrorByDigestOnly && m.pullFromMirror !== '') {
        fail(
          `cannot set mirror usage mirror-by-digest-only for the registry (${goQuote(prefix)}) and pull-from-mirror for per-mirror (${goQuote(stored)}) at the same time`,
          m.keyLines.get('pull-from-mirror') ?? m.line,
        );
      }
      if (!PULL_FROM_MIRROR_VALUES.has(m.pullFromMirror)) {
        fail(`unsupported pull-from-mirror value ${goQuote(m.pullFromMirror)} for mirror ${goQuote(stored)}`, m.keyLines.get('pull-from-mirror') ?? m.line);
      }
      mirrors.push({
        location: stored,
        insecure: m.insecure,
        pullFromMirror: m.pullFromMirror as PullFromMirror,
        origin: m.line !== undefined ? { file, line: m.line } : { file },
      });
    }
    const entry: RegistryEntry = {
      prefix,
      location: loc.value,
      insecure: reg.insecure,
      blocked: reg.blocked,
      mirrorByDigestOnly: reg.mirrorByDigestOnly,
      mirrors,
      origin: reg.line !== undefined ? { file, line: reg.line } : { file },
    };
    entries.push(entry);
    const key = entry.location === '' ? entry.prefix : entry.location;
    const group = byLocation.get(key);
    if (group) group.push(entry);
    else byLocation.set(key, [entry]);
  }

  // Conflicts are keyed by location (not prefix), within this file only; insecure is checked before blocked.
  for (const entry of entries) {
    const key = entry.location === '' ? entry.prefix : entry.location;
    const group = byLocation.get(key)!;
    if (group.length < 2) continue;
    for (const other of group) {
      if (other === entry) continue;
      const line = Math.max(entry.origin.line ?? 0, other.origin.line ?? 0) || undefined;
      if (other.insecure !== entry.insecure) {
        fail(`registry '${entry.location}' is defined multiple times with conflicting 'insecure' setting`, line, 'PP_ERR_CONFIG_CONFLICT');
      }
      if (other.blocked !== entry.blocked) {
        fail(`registry '${entry.location}' is defined multiple times with conflicting 'blocked' setting`, line, 'PP_ERR_CONFIG_CONFLICT');
      }
    }
  }

  let unqualifiedSearchRegistries: string[] | null = null;
  if (usr !== null) {
    unqualifiedSearchRegistries = usr.map((e) => {
      const t = parseLocation(e);
      if (!t.ok) return fail(t.error, usrLine);
      if (!anchoredDomainRegexp.test(t.value)) fail(`Invalid unqualified-search-registries entry ${goQuote(e)}`, usrLine);
      return t.value;
    });
  }

  // Dedupe (first wins within a file) and sort by prefix.
  const seen = new Set<string>();
  const deduped: RegistryEntry[] = [];
  for (const e of entries) {
    if (seen.has(e.prefix)) continue;
    seen.add(e.prefix);
    deduped.push(e);
  }
  deduped.sort((a, b) => comparePrefix(a.prefix, b.prefix));

  // 6. short-name-mode.
  let shortNameMode: ShortNameMode = '';
  if (raw.shortNameMode !== '') {
    if (!SHORT_NAME_MODES.has(raw.shortNameMode)) fail(`invalid short-name mode: ${goQuote(raw.shortNameMode)}`, raw.shortNameModeLine);
    shortNameMode = raw.shortNameMode as ShortNameMode;
  }

  // 7. Wildcard form, after postProcess so its errors win.
  for (const e of deduped) {
    if (e.prefix.startsWith('*.') && /[/@:]/.test(e.prefix)) {
      fail(
        `Wildcarded prefix should be in the format: *.example.com. Current prefix ${goQuote(e.prefix)} is incorrectly formatted`,
        e.origin.line,
      );
    }
  }

  // 8. Aliases: every bad entry is collected, joined by newlines (upstream order is random; we keep file order).
  let aliases: AliasEntry[] | null = null;
  if (raw.aliases !== null) {
    const errors: { text: string; line?: number }[] = [];
    aliases = [];
    for (const a of raw.aliases) {
      const err = aliasError(a.name, a.value);
      if (err !== null) {
        errors.push({ text: err, line: a.line });
        continue;
      }
      const v = aliasValue(a.value);
      aliases.push({ name: a.name, value: v.ok ? v.value : '', origin: a.line !== undefined ? { file, line: a.line } : { file } });
    }
    if (errors.length > 0) {
      fail(`validating short-name aliases: ${errors.map((e) => e.text).join('\n')}`, errors[0]!.line, 'PP_ERR_CONFIG_ALIAS');
    }
  }

  return {
    path: file,
    registries: deduped,
    unqualifiedSearchRegistries,
    credentialHelpers: raw.credentialHelpers,
    shortNameMode,
    aliases,
  };
}
