import { describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig } from '../../src/resolve/compile.ts';
import { resolveArg } from '../../src/resolve/resolve.ts';
import { classifyVerify, planVerify } from '../../src/verify/classify.ts';
import type { AttemptEvent, ErrorClass, ResultEvent } from '../../src/events/pull-events.ts';

const CONF = `
unqualified-search-registries = ["quay.io"]
short-name-mode = "enforcing"

[[registry]]
prefix = "quay.io/openshift-release-dev"
location = "quay.io/openshift-release-dev"
blocked = true
[[registry.mirror]]
location = "mirror.example.com/ocp"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "backup.example.com/ocp"
pull-from-mirror = "digest-only"

[[registry]]
prefix = "registry.redhat.io"
location = "registry.redhat.io"
[[registry.mirror]]
location = "mirror.example.com/redhat"

[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "blocked.example.com/hub"

[[registry]]
prefix = "blocked.example.com"
location = "blocked.example.com"
blocked = true
`;
const conf = loadRegistriesConfFromTexts({ main: { path: '/etc/containers/registries.conf', text: CONF }, mainPath: '/etc/containers/registries.conf', dropins: [] });
const compiled = compileConfig(conf);
const D = 'sha256:' + 'a'.repeat(64);
const resolve = (ref: string) => resolveArg(compiled, ref);

function attempt(index: number, location: string, mirror: boolean, outcome: AttemptEvent['outcome'], errorClass: ErrorClass | null = null, httpStatus: number | null = null): AttemptEvent {
  return { type: 'attempt', image: 'x', index, at: 0, reference: `${location}/app@${D}`, location, mirror, insecure: false, outcome, error: errorClass, errorClass, httpStatus, durationMs: 3, steps: [] };
}
const result = (ok: boolean, sourceIndex: number | null, extra: Partial<ResultEvent> = {}): ResultEvent => ({
  type: 'result', image: 'x', at: 0, ok, source: null, sourceIndex, digest: ok ? D : null, mediaType: null, error: ok ? null : 'failed', errorClass: null, durationMs: 9, ...extra,
});

describe('planVerify: decisions without network', () => {
  it.each([
    ['quay.io/openshift-release-dev/ocp-release:4.16', 'tag-on-digest-only', /every mirror is digest-only/],
    ['ghcr.io/org/app@' + D, 'no-mirror', /no \[\[registry\]\] entry matches/],
    ['docker.io/library/busybox@' + D, 'blocked', /every mirror is blocked/],
    ['Quay.io/UPPER:tag', 'invalid-reference', /.+/],
    ['busybox', 'resolution-error', /.+/],
  ])('%s → %s', (ref, reason, detail) => {
    const plan = planVerify(ref, resolve(ref), null);
    expect(plan.verdict?.ok).toBe(false);
    expect(plan.verdict?.reason).toBe(reason);
    expect(plan.verdict?.detail).toMatch(detail);
    expect(plan.sources).toEqual([]);
  });

  it('forbids the source by default when the matched entry is blocked', () => {
    const plan = planVerify('x', resolve(`quay.io/openshift-release-dev/ocp-release@${D}`), null);
    expect(plan.noSource).toBe(true);
    expect(plan.sources.map((s) => s.location)).toEqual(['mirror.example.com/ocp', 'backup.example.com/ocp']);
  });

  it('keeps the source by default for an unblocked entry, and drops it with --no-source', () => {
    const r = resolve(`registry.redhat.io/ubi9/ubi@${D}`);
    expect(planVerify('x', r, null).sources.map((s) => s.mirror)).toEqual([true, false]);
    const strict = planVerify('x', r, true);
    expect(strict.noSource).toBe(true);
    expect(strict.sources.map((s) => s.location)).toEqual(['mirror.example.com/redhat']);
  });
});

describe('classifyVerify: what the attempts mean', () => {
  const ref = `quay.io/openshift-release-dev/ocp-release@${D}`;
  const r = resolve(ref);
  const plan = planVerify(ref, r, null);
  const m1 = 'mirror.example.com/ocp';
  const m2 = 'backup.example.com/ocp';

  it('passes when a mirror serves the manifest, naming the mirror', () => {
    const v = classifyVerify(ref, r, plan, [attempt(0, m1, true, 'failed', 'refused'), attempt(1, m2, true, 'ok')], result(true, 1));
    expect([v.ok, v.reason, v.endpoint, v.digest, v.byDigest]).toEqual([true, null, m2, D, true]);
    expect(v.detail).toMatch(/served by backup\.example\.com\/ocp/);
  });

  it.each([
    ['not-found', 404, 'not-mirrored'],
    ['unauthorized', 401, 'auth'],
    ['forbidden', 403, 'auth'],
    ['refused', null, 'unreachable'],
    ['timeout', null, 'unreachable'],
    ['tls', null, 'unreachable'],
    ['not-a-registry', 200, 'not-a-registry'],
    ['digest-mismatch', 200, 'digest-mismatch'],
    ['server-error', 503, 'mirror-error'],
  ] as const)('a mirror failing with %s (HTTP %s) → %s', (cls, status, reason) => {
    const v = classifyVerify(ref, r, plan, [attempt(0, m1, true, 'failed', cls, status), attempt(1, m2, true, 'failed', 'refused')], result(false, null));
    expect(v.ok).toBe(false);
    expect(v.reason).toBe(reason);
    expect(v.detail).toContain(`${m1}: ${cls}`);
  });

  it('fails with source-only when only the source answered', () => {
    const ref2 = `registry.redhat.io/ubi9/ubi@${D}`;
    const r2 = resolve(ref2);
    const plan2 = planVerify(ref2, r2, false);
    const v = classifyVerify(ref2, r2, plan2, [attempt(0, 'mirror.example.com/redhat', true, 'failed', 'not-found', 404), attempt(1, 'registry.redhat.io', false, 'ok')], result(true, 1));
    expect([v.ok, v.reason]).toEqual([false, 'source-only']);
    expect(v.detail).toMatch(/only the source .* mirrors: mirror\.example\.com\/redhat: not-found \(HTTP 404\)/);
  });

  it('fails with blobs-missing when --check-blobs finds a missing blob on the winning mirror', () => {
    const v = classifyVerify(ref, r, plan, [attempt(0, m1, true, 'ok')], result(true, 0, { missingBlobs: ['sha256:bb'] }));
    expect([v.ok, v.reason, v.missingBlobs]).toEqual([false, 'blobs-missing', ['sha256:bb']]);
    expect(v.detail).toMatch(/does not fail over at the blob stage/);
  });
});
