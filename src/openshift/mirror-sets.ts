/**
 * Merging of mirror rules per source, as runtime-utils `mirrorSets` does: every object's rule for the same
 * `source` becomes chains of edges, merged by the deterministic topological sort, so the rendered mirror
 * order does not depend on which object the API server listed first.
 */
import { TopoGraph, byteCompare } from './topo.ts';
import type { MirrorRule } from './types.ts';

export interface MergedMirrorSet {
  source: string;
  mirrors: string[];
  /** True when any contributing rule had `mirrorSourcePolicy: NeverContactSource`. */
  neverContactSource: boolean;
}

/**
 * Merges rules (IDMS rules first, then ICSP rules, for digest sets; ITMS rules for tag sets).
 * A rule whose mirrors are all equal to its source (or empty) is ignored, its policy included.
 * Result is sorted by source (byte order).
 */
export function mergeMirrorRules(rules: Iterable<Pick<MirrorRule, 'source' | 'mirrors' | 'mirrorSourcePolicy'>>): MergedMirrorSet[] {
  const lists = new Map<string, string[][]>();
  const blocked = new Set<string>();
  for (const rule of rules) {
    if (!rule.mirrors.some((m) => m !== rule.source)) continue;
    if (rule.mirrorSourcePolicy === 'NeverContactSource') blocked.add(rule.source);
    const l = lists.get(rule.source) ?? [];
    l.push(rule.mirrors);
    lists.set(rule.source, l);
  }
  const sources = [...lists.keys()].sort(byteCompare);
  return sources.map((source) => ({
    source,
    mirrors: mergedMirrors(source, lists.get(source) ?? []),
    neverContactSource: blocked.has(source),
  }));
}

function mergedMirrors(source: string, lists: string[][]): string[] {
  const g = new TopoGraph();
  for (const mirrors of lists) {
    for (let i = 0; i + 1 < mirrors.length; i++) g.addEdge(mirrors[i] as string, mirrors[i + 1] as string);
    if (!mirrors.includes(source)) g.addEdge(mirrors[mirrors.length - 1] as string, source);
  }
  const sorted = g.sorted();
  // The source is tried last implicitly by containers/image, so a trailing source is dropped; elsewhere it stays.
  if (sorted[sorted.length - 1] === source) sorted.pop();
  return sorted;
}
