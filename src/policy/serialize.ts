/**
 * Writes a Policy as Go's `json.MarshalIndent(policy, "", "  ")` does (the MCO's output): map keys sorted
 * by byte order, struct fields in Go declaration order, `<` `>` `&` escaped as \u003c…, no trailing newline.
 * `indent: ''` gives `json.Marshal`'s compact form (the MCO before mid-2024).
 */
import type { JsonObject, JsonValue } from './strict-json.ts';
import type { Policy, PolicyRequirement } from './types.ts';

/** Go struct field order per requirement / identity type (the order `encoding/json` writes them in). */
const FIELD_ORDER: Record<string, string[]> = {
  signedBy: ['type', 'keyType', 'keyPath', 'keyPaths', 'keyData', 'signedIdentity'],
  signedBaseLayer: ['type', 'baseLayerIdentity'],
  sigstoreSigned: [
    'type', 'keyPath', 'keyPaths', 'keyData', 'keyDatas', 'fulcio', 'rekorPublicKeyPath', 'rekorPublicKeyPaths',
    'rekorPublicKeyData', 'rekorPublicKeyDatas', 'pki', 'signedIdentity',
  ],
  fulcio: ['caPath', 'caData', 'oidcIssuer', 'subjectEmail'],
  pki: ['caRootsPath', 'caRootsData', 'caIntermediatesPath', 'caIntermediatesData', 'subjectEmail', 'subjectHostname'],
  exactReference: ['type', 'dockerReference'],
  exactRepository: ['type', 'dockerRepository'],
  remapIdentity: ['type', 'prefix', 'signedPrefix'],
};

export function serializePolicy(policy: Policy, indent = '  '): string {
  const transports: [string, Ordered][] = [...policy.transports.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([t, scopes]) => [t, { sorted: [...scopes.entries()].sort(([a], [b]) => cmp(a, b)).map(([s, reqs]) => [s, reqs.map(reqValue)]) }]);
  const top: Ordered = { sorted: [['default', policy.default.map(reqValue)], ['transports', { sorted: transports }]] };
  return write(top, indent, '');
}

/** An object whose key order is already decided. */
interface Ordered {
  sorted: [string, Value][];
}
type Value = JsonValue | Ordered | Value[];

function reqValue(r: PolicyRequirement): Value {
  return ordered(r.fields, FIELD_ORDER[r.type] ?? ['type']);
}

function ordered(o: JsonObject, order: string[]): Ordered {
  const keys = [...order.filter((k) => o[k] !== undefined), ...Object.keys(o).filter((k) => !order.includes(k))];
  return {
    sorted: keys.map((k) => {
      const v = o[k] as JsonValue;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const nested = k === 'fulcio' || k === 'pki' ? FIELD_ORDER[k] : FIELD_ORDER[String(v.type)];
        return [k, ordered(v, nested ?? ['type'])];
      }
      return [k, v];
    }),
  };
}

function isOrdered(v: Value): v is Ordered {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray((v as Ordered).sorted) && Object.keys(v).length === 1;
}

function write(v: Value, indent: string, cur: string): string {
  const next = cur + indent;
  const nl = indent === '' ? '' : '\n';
  const sep = indent === '' ? ':' : ': ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => next + write(x, indent, next)).join(`,${nl}`)}${nl}${cur}]`;
  }
  if (typeof v === 'object' && v !== null) {
    const entries: [string, Value][] = isOrdered(v) ? v.sorted : Object.keys(v).sort(cmp).map((k) => [k, (v as JsonObject)[k] as JsonValue]);
    if (entries.length === 0) return '{}';
    return `{${nl}${entries.map(([k, x]) => `${next}${goString(k)}${sep}${write(x, indent, next)}`).join(`,${nl}`)}${nl}${cur}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v);
}

/** Go's encoding/json string escaping (HTML-safe by default, U+2028/2029 escaped). */
export function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function cmp(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}
