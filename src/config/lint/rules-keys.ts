/**
 * Keys the runtime ignores (research §1.3, podman #14306): BurntSushi/toml attaches every key to the last table
 * header, so `blocked = true` written after a `[[registry.mirror]]` belongs to that mirror, and a top-level key
 * written after any header belongs to that table. Unknown keys are only logged at debug level by the runtime.
 */
import type { RawConfigFile, UnknownKey } from '../decode-file.ts';
import type { LintFinding } from './finding.ts';
import { nearest } from '../../did-you-mean.ts';

const TOP_LEVEL = ['unqualified-search-registries', 'short-name-mode', 'credential-helpers', 'additional-layer-store-auth-helper'];
const REGISTRY_ONLY = ['prefix', 'blocked', 'mirror-by-digest-only', 'mirror'];
const KNOWN = [...TOP_LEVEL, ...REGISTRY_ONLY, 'location', 'insecure', 'pull-from-mirror', 'registry', 'aliases', 'registries'];

/** The known key closest to `key` (`mirror_by_digest_only` → `mirror-by-digest-only`, `mirrors` → `mirror`). */
export function suggestKey(key: string): string | null {
  const best = nearest(key.toLowerCase().replace(/_/g, '-'), KNOWN);
  return best !== null && best.distance <= Math.max(2, Math.floor(best.name.length / 4)) ? best.name : null;
}

function misplaced(u: UnknownKey, file: string): LintFinding | null {
  const k = u.key.toLowerCase();
  if (u.table === 'mirror' && REGISTRY_ONLY.includes(k)) {
    return {
      severity: 'warning',
      code: 'PP_LINT_KEY_IN_MIRROR_TABLE',
      file,
      line: u.line,
      message: `"${u.key}" is inside a [[registry.mirror]] table (TOML attaches keys to the last header), so it applies to nothing: a mirror has no "${u.key}" and the runtime ignores it`,
      fix: `move "${u.key}" up, between the [[registry]] header and its first [[registry.mirror]]`,
    };
  }
  if ((u.table === 'mirror' || u.table === 'registry') && TOP_LEVEL.includes(k)) {
    const where = u.table === 'mirror' ? '[[registry.mirror]]' : '[[registry]]';
    return {
      severity: 'warning',
      code: 'PP_LINT_TOP_LEVEL_KEY_IN_TABLE',
      file,
      line: u.line,
      message: `"${u.key}" is inside a ${where} table (TOML attaches keys to the last header), so the runtime ignores it and the setting is not applied`,
      fix: `move "${u.key}" to the top of the file, before the first [[registry]] or [aliases] header`,
    };
  }
  return null;
}

export function lintKeys(raw: RawConfigFile): LintFinding[] {
  const out: LintFinding[] = [];
  for (const u of raw.unknownKeys) {
    const m = misplaced(u, raw.path);
    if (m) {
      out.push(m);
      continue;
    }
    const suggestion = suggestKey(u.key);
    out.push({
      severity: 'warning',
      code: 'PP_LINT_UNKNOWN_KEY',
      file: raw.path,
      line: u.line,
      message: `unknown key "${u.path}": the runtime ignores it (it only logs unknown keys at debug level)`,
      fix: suggestion !== null && suggestion !== u.key ? `did you mean "${suggestion}"?` : 'remove it, or check containers-registries.conf(5) for the key you meant',
    });
  }
  // `short-name-mode = "enforcing"` written after `[aliases]` becomes an alias named short-name-mode.
  for (const a of raw.aliases ?? []) {
    if (!TOP_LEVEL.includes(a.name.toLowerCase())) continue;
    out.push({
      severity: 'warning',
      code: 'PP_LINT_TOP_LEVEL_KEY_IN_TABLE',
      file: raw.path,
      line: a.line,
      message: `"${a.name}" is inside the [aliases] table (TOML attaches keys to the last header), so it is read as an alias, not as the setting`,
      fix: `move "${a.name}" to the top of the file, before the [aliases] header`,
    });
  }
  return out;
}
