/**
 * RFC 8785 JSON canonicalization (JCS), as github.com/cyberphone/json-canonicalization's Transform, which
 * containers/image applies to the Rekor SET payload before checking its signature (signature/internal/rekor_set.go).
 * JCS serialises strings and numbers exactly as ECMAScript's JSON.stringify does, so only the key order
 * (UTF-16 code units, which is JavaScript's default sort) and the absence of whitespace are ours.
 * Duplicate keys are refused by the strict parser (the Go canonicalizer refuses them too).
 */
import type { JsonValue } from '../policy/strict-json.ts';

export function canonicalJson(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k]!)}`).join(',')}}`;
}
