import { describe, expect, it } from 'vitest';
import { formatJunit, xmlEscape } from '../../src/report/junit.ts';
import type { ScenarioReport } from '../../src/scenario/types.ts';
import type { PullEvent } from '../../src/events/pull-events.ts';

/**
 * A small XML well-formedness check (no XML parser is among our dependencies): one prolog, balanced and
 * properly nested elements, quoted attributes without raw `<` or `&`, only the five predefined entities.
 * Returns the element names in document order.
 */
function wellFormed(xml: string): string[] {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf('?>') + 2);
  const stack: string[] = [];
  const names: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = token.exec(body)) !== null) {
    pos = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    const raw = text ?? attrs ?? '';
    for (const ent of raw.match(/&[^;\s]*;?/g) ?? []) expect(['&amp;', '&lt;', '&gt;', '&quot;', '&apos;']).toContain(ent);
    if (text !== undefined) continue;
    if (close) expect(stack.pop()).toBe(name);
    else {
      names.push(name!);
      if (!selfClose) stack.push(name!);
    }
  }
  expect(pos, `unparsed XML at ${JSON.stringify(body.slice(pos, pos + 40))}`).toBe(body.length);
  expect(stack).toEqual([]);
  return names;
}

const IMG = 'quay.io/a&b/<app>:1';
function events(ok: boolean): PullEvent[] {
  return [
    { type: 'attempt', image: IMG, index: 0, at: 1, reference: 'm.example.com/x:1', location: 'm.example.com', mirror: true, insecure: false, outcome: 'failed', error: 'reading manifest 1 in m.example.com/x: manifest unknown: Failed to fetch "1" <html> & \u0001', errorClass: 'not-found', httpStatus: 404, durationMs: 3, steps: [] },
    { type: 'result', image: IMG, at: 5, ok, source: ok ? IMG : null, sourceIndex: ok ? 1 : null, digest: null, mediaType: null, error: ok ? null : 'x "y" <z>', errorClass: ok ? null : 'not-found', durationMs: 1234 },
  ];
}

const reports: ScenarioReport[] = [
  {
    file: 'scenarios/a&b.toml', name: 'quotes "and" <angles>', story: '', ok: false, error: null, mocks: [], durationMs: 2500,
    pulls: [
      { key: 'pull[0]', ref: IMG, run: 1, events: events(true), ok: true, expectations: [{ key: 'outcome', ok: true, expected: 'ok', actual: 'ok' }] },
      { key: 'pull[1]', ref: IMG, run: 1, events: events(false), ok: false, expectations: [{ key: 'source', ok: false, expected: '"a"', actual: '(none) <& >' }] },
    ],
  },
  { file: 'b.toml', name: 'broken', story: '', ok: false, error: 'could not start the mock registries: EADDRINUSE <x>', mocks: [], durationMs: 0, pulls: [] },
];

describe('formatJunit', () => {
  it('writes well-formed XML with one testsuite per scenario and one testcase per pull', () => {
    const xml = formatJunit(reports);
    expect(wellFormed(xml)).toEqual(['testsuites', 'testsuite', 'testcase', 'system-out', 'testcase', 'failure', 'system-out', 'testsuite', 'testcase', 'error']);
  });

  it('counts tests, failures and errors as CI reporters read them', () => {
    const xml = formatJunit(reports);
    expect(xml).toContain('<testsuites name="pullpath scenarios" tests="3" failures="1" errors="1">');
    expect(xml).toContain('tests="2" failures="1" errors="0" skipped="0" time="2.500"');
    expect(xml).toContain('<failure message="1 expectation(s) not met: source" type="ExpectationNotMet">source: expected &quot;a&quot;, got (none) &lt;&amp; &gt;</failure>');
    expect(xml).toMatch(/name="pull\[0\] quay\.io\/a&amp;b\/&lt;app&gt;:1" time="1\.234"/);
  });

  it('drops characters XML 1.0 cannot carry', () => {
    expect(xmlEscape('a\u0001b\u0000c\td')).toBe('abc\td');
    expect(formatJunit(reports)).not.toMatch(/[\u0000-\u0008]/);
  });

  it('writes an empty but valid document for no scenarios', () => {
    expect(wellFormed(formatJunit([]))).toEqual(['testsuites']);
  });
});
