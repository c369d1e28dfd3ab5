/**
 * The deprecated V1 format (`[registries.search|insecure|block] registries = [...]`) and its conversion to V2
 * (`V1RegistriesConf.ConvertToV2`, research §2.1). v5.40 removed V1 entirely.
 */
import type { RawConfigFile, RawRegistry, RawV1 } from './decode-file.ts';
import { parseLocation } from './location.ts';

/** `Nonempty` (v5.23's V1 check): some V1 list has an element. */
export function v1Nonempty(v1: RawV1): boolean {
  return (v1.search?.length ?? 0) > 0 || (v1.insecure?.length ?? 0) > 0 || (v1.block?.length ?? 0) > 0;
}

/** `hasSetField`: some V1 list is present, even as `[]`. */
export function v1IsSet(v1: RawV1): boolean {
  return v1.search !== null || v1.insecure !== null || v1.block !== null;
}

/** `Nonempty` on the V2 part: used by v5.23 to refuse files that mix both formats. */
export function v2Nonempty(raw: RawConfigFile): boolean {
  return (
    (raw.registries?.length ?? 0) > 0 ||
    (raw.unqualifiedSearchRegistries?.length ?? 0) > 0 ||
    (raw.credentialHelpers?.length ?? 0) > 0 ||
    raw.shortNameMode !== '' ||
    raw.additionalLayerStoreAuthHelper !== '' ||
    (raw.aliases?.length ?? 0) > 0
  );
}

/**
 * Block list first, then insecure, each entry looked up by its trimmed location, in order of first appearance;
 * one host can end up both blocked and insecure. `search` becomes unqualified-search-registries unchanged.
 */
export function convertV1(v1: RawV1): { ok: true; registries: RawRegistry[] } | { ok: false; error: string; line?: number } {
  const byLocation = new Map<string, RawRegistry>();
  const lists: [string[] | null, 'blocked' | 'insecure'][] = [
    [v1.block, 'blocked'],
    [v1.insecure, 'insecure'],
  ];
  for (const [list, flag] of lists) {
    for (const entry of list ?? []) {
      const loc = parseLocation(entry);
      if (!loc.ok) return { ok: false, error: loc.error, line: v1.lines?.[flag === 'blocked' ? 'block' : 'insecure'] ?? v1.line };
      let reg = byLocation.get(loc.value);
      if (!reg) {
        reg = {
          prefix: loc.value,
          location: loc.value,
          insecure: false,
          blocked: false,
          mirrorByDigestOnly: false,
          pullFromMirror: '',
          mirrors: [],
          line: v1.lines?.[flag === 'blocked' ? 'block' : 'insecure'] ?? v1.line,
          keyLines: new Map(),
        };
        byLocation.set(loc.value, reg);
      }
      reg[flag] = true;
    }
  }
  return { ok: true, registries: [...byLocation.values()] };
}
