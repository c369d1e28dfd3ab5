/** runtime-utils TestTopoGraph and mergedMirrorsetsTestcases (research §2.4). */
import { describe, expect, it } from 'vitest';
import { mergeMirrorRules } from '../../src/openshift/mirror-sets.ts';
import { TopoGraph } from '../../src/openshift/topo.ts';
import type { MirrorSourcePolicy } from '../../src/openshift/types.ts';

describe('TopoGraph.sorted', () => {
  it.each([
    ['AB AC AD ab ac ad', 'AaBCDbcd'],
    ['AD BD CD ad bd cd', 'ABCabcDd'],
    ['AB BC CD DE ab bc cd de', 'AaBbCcDdEe'],
    ['AB BC CD DA ab bc cd da', 'ABCDabcd'],
    ['AB BC CD DB DE ab bc cd db de', 'AaBCDEbcde'],
  ])('edges %s → %s', (edges, want) => {
    const g = new TopoGraph();
    for (const e of edges.split(' ')) g.addEdge(e[0] as string, e[1] as string);
    expect(g.sorted().join('')).toBe(want);
  });
});

const r = (source: string, mirrors: string[], mirrorSourcePolicy: MirrorSourcePolicy = '') => ({ source, mirrors, mirrorSourcePolicy });
const n = (names: string, domain: string) => names.split(',').map((x) => `${x}.${domain}`);

describe('mergeMirrorRules', () => {
  it('ignores sets without mirrors', () => {
    expect(mergeMirrorRules([r('a.example.com', []), r('b.example.com', [])])).toEqual([]);
  });

  it('sorts by source and keeps each mirror order', () => {
    const got = mergeMirrorRules([r('source.example.net', n('z1,y2,x3', 'example.net')), r('source.example.com', n('z1,y2,x3', 'example.com'))]);
    expect(got).toEqual([
      { source: 'source.example.com', mirrors: n('z1,y2,x3', 'example.com'), neverContactSource: false },
      { source: 'source.example.net', mirrors: n('z1,y2,x3', 'example.net'), neverContactSource: false },
    ]);
  });

  it('merges overlapping lists (z1,y2) + (y2,x3) into z1,y2,x3', () => {
    const got = mergeMirrorRules([
      r('source.example.net', n('z1,y2', 'example.net')),
      r('source.example.com', n('z1,y2', 'example.com')),
      r('source.example.net', n('y2,x3', 'example.net')),
      r('source.example.com', n('y2,x3', 'example.com')),
    ]);
    expect(got.map((s) => s.mirrors)).toEqual([n('z1,y2,x3', 'example.com'), n('z1,y2,x3', 'example.net')]);
  });

  it('keeps the source in the list when it is not last', () => {
    const got = mergeMirrorRules([
      r('source.example.com', ['z1.example.com', 'source.example.com', 'y2.example.com']),
      r('source.example.com', ['source.example.com', 'y2.example.com', 'x3.example.com']),
    ]);
    expect(got[0]?.mirrors).toEqual(['z1.example.com', 'source.example.com', 'y2.example.com', 'x3.example.com']);
  });

  it('ignores sets that only repeat the source', () => {
    expect(mergeMirrorRules([r('source.example.com', ['source.example.com']), r('source.example.net', Array(3).fill('source.example.net'))])).toEqual([]);
  });

  it('breaks a vendor/admin ordering cycle alphabetically', () => {
    const got = mergeMirrorRules([
      r('source.vendor.com', ['registry2.vendor.com']),
      r('source.vendor2.com', ['registry1.vendor2.com', 'registry2.vendor2.com']),
      r('source.vendor.com', ['local-mirror.example.com']),
      r('source.vendor2.com', ['local-mirror2.example.com', 'registry2.vendor2.com', 'registry1.vendor2.com']),
    ]);
    expect(got.map((s) => [s.source, s.mirrors])).toEqual([
      ['source.vendor.com', ['local-mirror.example.com', 'registry2.vendor.com']],
      ['source.vendor2.com', ['local-mirror2.example.com', 'registry1.vendor2.com', 'registry2.vendor2.com']],
    ]);
  });

  it('NeverContactSource is sticky per source; AllowContactingSource normalises to unset', () => {
    const got = mergeMirrorRules([
      r('source.example.net', n('z1', 'example.net'), 'NeverContactSource'),
      r('source.example.com', n('z1', 'example.com'), 'AllowContactingSource'),
      r('source.example.net', n('y2', 'example.net')),
    ]);
    expect(got.map((s) => [s.source, s.neverContactSource])).toEqual([
      ['source.example.com', false],
      ['source.example.net', true],
    ]);
  });

  it('orders independent roots alphabetically regardless of object order (ns-o3, ns-o1, ns-o2 → o1, o2, o3)', () => {
    const got = mergeMirrorRules([r('x', ['other.com/ns-o3']), r('x', ['other.com/ns-o1']), r('x', ['other.com/ns-o2'])]);
    expect(got[0]?.mirrors).toEqual(['other.com/ns-o1', 'other.com/ns-o2', 'other.com/ns-o3']);
  });

  it('a [source, m] list keeps the source first', () => {
    expect(mergeMirrorRules([r('s.com', ['s.com', 'm.com'])])[0]?.mirrors).toEqual(['s.com', 'm.com']);
  });
});
