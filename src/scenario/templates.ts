/**
 * `{{digest HOST/REPOSITORY:TAG}}` in pull references and expectations: the manifest digest of the
 * image that the scenario's registry HOST declares under REPOSITORY:TAG, computed by src/mock's image
 * builder. Mock images are built deterministically, so a scenario can pull by digest and expect a
 * digest without pasting 64 hex characters that would break whenever an image description changes.
 */
import { ConfigError } from '../errors.ts';
import { mockImageDigest } from '../mock/image-builder.ts';
import type { MockImageSpec } from '../mock/spec.ts';
import { SCENARIO_CODE } from './table-reader.ts';
import type { PullExpectation, PullSpec, Scenario, ScenarioMock } from './types.ts';

const TEMPLATE = /\{\{\s*([a-z-]+)\s+([^}\s]+)\s*\}\}/g;

/** Finds the image a `HOST/REPO:TAG` names among the scenario's registries, or says why not. */
function findImage(mocks: readonly ScenarioMock[], target: string): MockImageSpec | string {
  const colon = target.lastIndexOf(':');
  const slash = target.indexOf('/');
  if (slash < 0 || colon < slash) return `expected HOST/REPOSITORY:TAG, got "${target}"`;
  const host = target.slice(0, slash);
  const repository = target.slice(slash + 1, colon);
  const tag = target.slice(colon + 1);
  const mock = mocks.find((m) => m.host === host);
  if (!mock) return `no [[registry]] with host = "${host}" (hosts: ${mocks.map((m) => m.host).join(', ') || 'none'})`;
  const images = mock.spec.images ?? [];
  // The last image listing a tag wins, as in the mock itself.
  const img = [...images].reverse().find((i) => i.repository === repository && (i.tags ?? ['latest']).includes(tag));
  if (!img) return `registry "${host}" declares no image ${repository}:${tag}`;
  return img;
}

/** Expands the templates of one string; `key` names it in errors. */
export function expandString(text: string, mocks: readonly ScenarioMock[], file: string, key: string): string {
  return text.replace(TEMPLATE, (_all, fn: string, arg: string) => {
    if (fn !== 'digest') {
      throw new ConfigError(`${file}: ${key}: unknown template "{{${fn} …}}"; expected {{digest HOST/REPOSITORY:TAG}}`, { file, code: SCENARIO_CODE });
    }
    const found = findImage(mocks, arg);
    if (typeof found === 'string') {
      throw new ConfigError(`${file}: ${key}: {{digest ${arg}}}: ${found}`, { file, code: SCENARIO_CODE });
    }
    try {
      return mockImageDigest(found);
    } catch (err) {
      throw new ConfigError(`${file}: ${key}: {{digest ${arg}}}: ${(err as Error).message}`, { file, code: SCENARIO_CODE });
    }
  });
}

function expandExpect(e: PullExpectation, x: (s: string, key: string) => string, at: string): PullExpectation {
  const out: PullExpectation = { ...e };
  if (e.source !== undefined) out.source = x(e.source, `${at}.source`);
  if (e.digest !== undefined) out.digest = x(e.digest, `${at}.digest`);
  if (e.skipped) out.skipped = e.skipped.map((s, i) => x(s, `${at}.skipped[${i}]`));
  if (e.errorContains) out.errorContains = e.errorContains.map((s, i) => x(s, `${at}.error-contains[${i}]`));
  if (e.attempts) {
    out.attempts = e.attempts.map((a, i) => ({
      ...a,
      reference: x(a.reference, `${at}.attempts[${i}].ref`),
      ...(a.errorContains !== undefined ? { errorContains: x(a.errorContains, `${at}.attempts[${i}].error-contains`) } : {}),
    }));
  }
  return out;
}

/** The scenario with every template in its pulls expanded. */
export function expandTemplates(s: Scenario): Scenario {
  const x = (text: string, key: string): string => expandString(text, s.mocks, s.file, key);
  const pulls: PullSpec[] = s.pulls.map((p) => ({
    ...p,
    ref: x(p.ref, `${p.key}.ref`),
    expect: expandExpect(p.expect, x, `${p.key}.expect`),
  }));
  return { ...s, pulls };
}
