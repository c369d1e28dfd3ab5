/**
 * Every `ref` and `shortname` line of the shared conformance suite (produced by containers/image v5.23.1)
 * through A2's loader and our resolver. Decisions must agree on every line: error or not, which registry,
 * which sources in which order with their flags, whether the rewrite fails, what the docker transport makes
 * of the reference, and which short-name candidates (pulled, and looked up locally as `ResolveLocally` does).
 * Error texts are compared separately; the number that differ is printed (the loader's TOML syntax errors
 * are worded by smol-toml, not BurntSushi/toml).
 */
import { readFileSync } from 'node:fs';
import { caseInput, conformanceDir, type ConformanceCase } from '../helpers/conformance-case.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeErrorText } from '../../src/config/config-error.ts';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import type { RegistriesConfig } from '../../src/config/types.ts';
import { dockerTransportReference, tryParseNormalizedNamed } from '../../src/reference/index.ts';
import { compileConfig, findRegistry, pullSources, resolveShortName, resolveShortNameLocally } from '../../src/resolve/index.ts';

const dir = conformanceDir;

type Case = ConformanceCase;
interface ExpectedSource {
  location: string;
  insecure: boolean;
  reference: string;
  blocked: boolean;
}
interface ExpectedRef {
  kind: 'ref';
  id: string;
  ref: string;
  error: string | null;
  errorKind: 'parse' | 'config' | null;
  normalized: string | null;
  registry: { prefix: string; location: string; insecure: boolean; blocked: boolean; mirrorByDigestOnly: boolean } | null;
  sources: ExpectedSource[];
  sourcesError: string | null;
  transportRef: string | null;
  transportError: string | null;
}
interface ExpectedShortName {
  kind: 'shortname';
  id: string;
  name: string;
  error: string | null;
  candidates: string[];
  description: string;
  localCandidates: string[];
  localError: string | null;
}

function readJsonl<T>(name: string): T[] {
  return readFileSync(new URL(name, dir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

const cases = readJsonl<Case>('resolve-cases.jsonl');
const expectedById = new Map<string, (ExpectedRef | ExpectedShortName)[]>();
for (const e of readJsonl<(ExpectedRef | ExpectedShortName | { kind: 'config'; id: string })>('resolve-expected.jsonl')) {
  if (e.kind === 'config') continue;
  const list = expectedById.get(e.id) ?? [];
  list.push(e);
  expectedById.set(e.id, list);
}


/** What we decide for one `ref` line, in the expected line's shape. */
function decideRef(conf: RegistriesConfig | null, loadError: string | null, ref: string) {
  const p = tryParseNormalizedNamed(ref);
  if (!p.ok) {
    return { error: p.error, errorKind: 'parse', normalized: null, registry: null, sources: [], sourcesError: null, transportRef: null, transportError: null };
  }
  const t = dockerTransportReference(p.ref);
  const transport = { transportRef: t.ok ? t.ref.string() : null, transportError: t.ok ? null : t.error };
  if (conf === null) {
    return { error: loadError, errorKind: 'config', normalized: p.ref.string(), registry: null, sources: [], sourcesError: null, ...transport };
  }
  const compiled = compileConfig(conf);
  const entry = findRegistry(compiled, p.ref.name());
  const ps = pullSources(compiled, entry, p.ref);
  return {
    error: null,
    errorKind: null,
    normalized: p.ref.string(),
    registry:
      entry === null
        ? null
        : { prefix: entry.prefix, location: entry.location, insecure: entry.insecure, blocked: entry.blocked, mirrorByDigestOnly: entry.mirrorByDigestOnly },
    sources: ps.sources.map((s) => ({ location: s.location, insecure: s.insecure, reference: s.reference, blocked: s.blocked })),
    sourcesError: ps.ok ? null : ps.error,
    ...transport,
  };
}

function decideShortName(conf: RegistriesConfig | null, loadError: string | null, name: string) {
  if (conf === null) return { error: loadError, candidates: [] as string[], description: '', localCandidates: [] as string[], localError: loadError };
  const sn = resolveShortName(conf, name);
  const local = resolveShortNameLocally(conf, name);
  return {
    error: sn.error,
    candidates: sn.candidates.map((c) => c.ref.string()),
    description: sn.description,
    localCandidates: local.candidates.map((r) => r.string()),
    localError: local.error,
  };
}

const tally = { lines: 0, decisionsAgreed: 0, texts: 0, textsDiffer: 0, differing: [] as string[] };

/**
 * Cases whose error text may differ from the library's: TOML syntax errors, which smol-toml words (and
 * places on a line) differently from BurntSushi/toml. Every other text must be the library's, to the letter.
 */
const KNOWN_TEXT_DIVERGENCES = new Set(['err-toml-syntax', 'err-toml-invalid-word']);

function compareText(id: string, what: string, ours: string | null, theirs: string | null) {
  if (theirs === null) return;
  tally.texts++;
  if (ours !== theirs) {
    tally.textsDiffer++;
    tally.differing.push(`${id} ${what}:\n    ours:   ${ours}\n    theirs: ${theirs}`);
    if (!KNOWN_TEXT_DIVERGENCES.has(id)) expect(ours, `${id} ${what}: the library's wording`).toBe(theirs);
  }
}

describe('conformance with containers/image v5.23.1 (ref and shortname lines)', () => {
  for (const c of cases) {
    const lines = expectedById.get(c.id) ?? [];
    if (lines.length === 0) continue;
    describe(c.id, () => {
      let conf: RegistriesConfig | null = null;
      let loadError: string | null = null;
      try {
        conf = loadRegistriesConfFromTexts(caseInput(c));
      } catch (err) {
        loadError = runtimeErrorText(err);
      }
      for (const e of lines) {
        if (e.kind === 'ref') {
          it(`ref ${JSON.stringify(e.ref)}`, () => {
            tally.lines++;
            const ours = decideRef(conf, loadError, e.ref);
            // The decision: every field except the wording of error texts.
            expect({
              error: ours.error !== null,
              errorKind: ours.errorKind,
              normalized: ours.normalized,
              registry: ours.registry,
              sources: ours.sources,
              sourcesError: ours.sourcesError !== null,
              transportRef: ours.transportRef,
              transportError: ours.transportError !== null,
            }).toEqual({
              error: e.error !== null,
              errorKind: e.errorKind,
              normalized: e.normalized,
              registry: e.registry,
              sources: e.sources,
              sourcesError: e.sourcesError !== null,
              transportRef: e.transportRef,
              transportError: e.transportError !== null,
            });
            tally.decisionsAgreed++;
            compareText(c.id, `ref ${e.ref} error`, ours.error, e.error);
            compareText(c.id, `ref ${e.ref} sourcesError`, ours.sourcesError, e.sourcesError);
            compareText(c.id, `ref ${e.ref} transportError`, ours.transportError, e.transportError);
          });
        } else {
          it(`shortname ${JSON.stringify(e.name)}`, () => {
            tally.lines++;
            const ours = decideShortName(conf, loadError, e.name);
            expect({
              error: ours.error !== null,
              candidates: ours.candidates,
              localError: ours.localError !== null,
              localCandidates: ours.localCandidates,
            }).toEqual({
              error: e.error !== null,
              candidates: e.candidates,
              localError: e.localError !== null,
              localCandidates: e.localCandidates,
            });
            tally.decisionsAgreed++;
            compareText(c.id, `shortname ${e.name} error`, ours.error, e.error);
            compareText(c.id, `shortname ${e.name} description`, ours.description, e.description === '' ? null : e.description);
            compareText(c.id, `shortname ${e.name} localError`, ours.localError, e.localError);
          });
        }
      }
    });
  }

  it('reads the whole suite (94 cases; every ref and shortname line)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(94);
    const n = [...expectedById.values()].reduce((a, l) => a + l.length, 0);
    expect(n).toBeGreaterThanOrEqual(313);
  });

  afterAll(() => {
    const pct = tally.lines === 0 ? 0 : (100 * tally.decisionsAgreed) / tally.lines;
    console.log(
      `conformance (ref+shortname): ${tally.decisionsAgreed}/${tally.lines} decisions agree (${pct.toFixed(1)}%); ` +
        `${tally.textsDiffer} of ${tally.texts} error/description texts differ` +
        (tally.differing.length > 0 ? `\n  ${tally.differing.join('\n  ')}` : ''),
    );
  });
});
