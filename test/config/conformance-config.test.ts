/**
 * Every `config` line of the shared conformance suite (produced by containers/image v5.23.1) against our loader:
 * the decision (error or not) must agree on every case; the merged registries (order, mirrors, flags),
 * unqualified-search-registries and its origin, short-name-mode and credential helpers must be equal.
 * Error texts are compared too, and the number that differ is printed (smol-toml words syntax errors its own way).
 */
import { readFileSync } from 'node:fs';
import { caseInput, conformanceDir, type ConformanceCase } from '../helpers/conformance-case.ts';
import { describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { runtimeErrorText } from '../../src/config/config-error.ts';
import type { RegistriesConfig } from '../../src/config/types.ts';

const dir = conformanceDir;

type Case = ConformanceCase;
interface ExpectedConfig {
  id: string;
  error: string | null;
  registries: {
    prefix: string;
    location: string;
    insecure: boolean;
    blocked: boolean;
    mirrorByDigestOnly: boolean;
    mirrors?: { location: string; insecure: boolean; pullFromMirror: string }[];
  }[];
  unqualifiedSearchRegistries: string[] | null;
  unqualifiedSearchOrigin: string;
  shortNameMode: string;
  credentialHelpers: string[] | null;
}

const cases: Case[] = readFileSync(new URL('resolve-cases.jsonl', dir), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Case);
const expected = new Map<string, ExpectedConfig>();
for (const line of readFileSync(new URL('resolve-expected.jsonl', dir), 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const o = JSON.parse(line) as ExpectedConfig & { kind: string };
  if (o.kind === 'config') expected.set(o.id, o);
}


function view(conf: RegistriesConfig) {
  return {
    registries: conf.registries.map((r) => ({
      prefix: r.prefix,
      location: r.location,
      insecure: r.insecure,
      blocked: r.blocked,
      mirrorByDigestOnly: r.mirrorByDigestOnly,
      mirrors: r.mirrors.map((m) => ({ location: m.location, insecure: m.insecure, pullFromMirror: m.pullFromMirror })),
    })),
    unqualifiedSearchRegistries: conf.unqualifiedSearchRegistries,
    unqualifiedSearchOrigin: conf.unqualifiedSearchOrigin ?? '',
    shortNameMode: conf.shortNameMode,
    credentialHelpers: conf.credentialHelpers,
  };
}

const textDiffs: { id: string; expected: string; got: string }[] = [];
let agreed = 0;

describe('conformance: config lines of resolve-expected.jsonl', () => {
  it('has a config line for every case', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(expected.has(c.id), c.id).toBe(true);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const exp = expected.get(c.id)!;
    let conf: RegistriesConfig | null = null;
    let error: string | null = null;
    try {
      conf = loadRegistriesConfFromTexts(caseInput(c));
    } catch (err) {
      error = runtimeErrorText(err);
    }
    if (exp.error !== null) {
      expect(error, 'expected a load error').not.toBeNull();
      if (error !== exp.error) {
        textDiffs.push({ id: c.id, expected: exp.error, got: error! });
        // Only TOML syntax errors may be worded differently (smol-toml vs BurntSushi/toml); all else is the library's text.
        if (!['err-toml-syntax', 'err-toml-invalid-word'].includes(c.id)) expect(error, `${c.id}: the library's wording`).toBe(exp.error);
      }
    } else {
      expect(error).toBeNull();
      expect(view(conf!)).toEqual({
        registries: exp.registries.map((r) => ({ ...r, mirrors: r.mirrors ?? [] })),
        unqualifiedSearchRegistries: exp.unqualifiedSearchRegistries,
        unqualifiedSearchOrigin: exp.unqualifiedSearchOrigin,
        shortNameMode: exp.shortNameMode,
        credentialHelpers: exp.credentialHelpers,
      });
    }
    agreed++;
  });

  it('reports agreement and error-text differences', () => {
    const total = cases.length;
    console.log(`config conformance: ${agreed}/${total} decisions agree; ${textDiffs.length} error texts differ`);
    for (const d of textDiffs) console.log(`  ${d.id}\n    expected: ${d.expected}\n    got:      ${d.got}`);
    expect(agreed).toBe(total);
  });
});
