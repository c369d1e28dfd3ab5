/**
 * Unknown fields in a cluster object, found on the YAML tree so each one keeps its line. Worded as the API
 * server's strict field validation (`kubectl --validate=strict`): `unknown field "spec.imageDigestMirror"`,
 * paths relative to the object, list items as `[i]`.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { closestName } from '../did-you-mean.ts';
import type { Shape } from './object-schema.ts';

export interface UnknownField {
  /** Object-relative path, e.g. `spec.imageDigestMirror` or `spec.imageTagMirrors[0].mirror`. */
  path: string;
  /** 1-based line of the key, when known. */
  line?: number;
  /** The nearest known field at the same place, as a full path. */
  suggestion?: string;
}

export function unknownFields(node: unknown, shape: Shape, lines: LineCounter, path = ''): UnknownField[] {
  if (shape === 'any' || node === null || node === undefined) return [];
  const join = (k: string): string => (path ? `${path}.${k}` : k);
  if ('items' in shape) {
    if (!isSeq(node)) return [];
    return node.items.flatMap((item, i) => unknownFields(item, shape.items, lines, `${path}[${i}]`));
  }
  if (!isMap(node)) return [];
  const known = Object.keys(shape.fields);
  const out: UnknownField[] = [];
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const sub = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
    if (sub === undefined) {
      const start = (keyNode as { range?: [number, number, number] } | null)?.range?.[0];
      const hint = closestName(key, known);
      out.push({
        path: join(key),
        ...(start !== undefined ? { line: lines.linePos(start).line } : {}),
        ...(hint !== null ? { suggestion: join(hint) } : {}),
      });
      continue;
    }
    out.push(...unknownFields(pair.value, sub, lines, join(key)));
  }
  return out;
}

/** `unknown field "spec.imageDigestMirror" (did you mean "spec.imageDigestMirrors"?)` */
export function describeUnknownField(u: UnknownField): string {
  return `unknown field ${JSON.stringify(u.path)}${u.suggestion ? ` (did you mean ${JSON.stringify(u.suggestion)}?)` : ''}`;
}
