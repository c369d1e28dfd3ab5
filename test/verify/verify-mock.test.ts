/**
 * verify end to end through the real resolver, engine and client against C's mock registries on
 * loopback, host names routed with the host map. One image per failure reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig } from '../../src/resolve/compile.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { runVerify } from '../../src/verify/run-verify.ts';
import { summarizeVerdicts, type VerifyVerdict } from '../../src/verify/verdict.ts';

const img = (repository: string, content: string) => ({ repository, content, tags: ['4.16'] });
const D = (content: string) => mockImageDigest({ repository: 'x', content });
const NOWHERE = 'sha256:' + '0'.repeat(64);

const CONF = `
[[registry]]
prefix = "quay.io/openshift-release-dev"
location = "quay.io/openshift-release-dev"
blocked = true
[[registry.mirror]]
location = "mirror.example.com/ocp"
insecure = true
pull-from-mirror = "digest-only"

[[registry]]
prefix = "quay.io/secure"
location = "quay.io/secure"
blocked = true
[[registry.mirror]]
location = "auth.example.com/ocp"
insecure = true

[[registry]]
prefix = "quay.io/down"
location = "quay.io/down"
blocked = true
[[registry.mirror]]
location = "down.example.com/x"
insecure = true

[[registry]]
prefix = "quay.io/wrong"
location = "quay.io/wrong"
blocked = true
[[registry.mirror]]
location = "wrong.example.com/x"
insecure = true

[[registry]]
prefix = "quay.io/portal"
location = "quay.io/portal"
blocked = true
[[registry.mirror]]
location = "portal.example.com/x"
insecure = true

[[registry]]
prefix = "quay.io/busy"
location = "quay.io/busy"
blocked = true
[[registry.mirror]]
location = "busy.example.com/x"
insecure = true

[[registry]]
prefix = "quay.io/holes"
location = "quay.io/holes"
blocked = true
[[registry.mirror]]
location = "holes.example.com/x"
insecure = true

[[registry]]
prefix = "quay.io/fenced"
location = "quay.io/fenced"
blocked = true
[[registry.mirror]]
location = "fenced.example.com/x"

[[registry]]
prefix = "fenced.example.com"
location = "fenced.example.com"
blocked = true

[[registry]]
prefix = "registry.redhat.io"
location = "registry.redhat.io"
insecure = true
[[registry.mirror]]
location = "mirror.example.com/redhat"
insecure = true
`;

let mocks: MockRegistrySet;
let client: RegistryClient;
let verdicts: Map<string, VerifyVerdict>;

const IMAGES = {
  pass: `quay.io/openshift-release-dev/release@${D('release')}`,
  notMirrored: `quay.io/openshift-release-dev/missing@${NOWHERE}`,
  tagOnDigestOnly: 'quay.io/openshift-release-dev/release:4.16',
  auth: `quay.io/secure/needsauth@${D('secret')}`,
  unreachable: `quay.io/down/app@${D('app')}`,
  digestMismatch: `quay.io/wrong/app@${D('app')}`,
  sourceOnly: `registry.redhat.io/ubi9/other@${D('other')}`,
  notARegistry: `quay.io/portal/app@${D('app')}`,
  mirrorError: `quay.io/busy/app@${D('app')}`,
  blobsMissing: `quay.io/holes/app@${D('app')}`,
  blocked: `quay.io/fenced/app@${D('app')}`,
  passUnblocked: `registry.redhat.io/ubi9/ubi@${D('ubi')}`,
};

beforeAll(async () => {
  mocks = await startMockRegistries([
    { host: 'mirror.example.com', images: [img('ocp/release', 'release'), img('redhat/ubi9/ubi', 'ubi')] },
    { host: 'auth.example.com', images: [img('ocp/needsauth', 'secret')], auth: { type: 'bearer', users: [{ username: 'u', password: 'p' }] } },
    { host: 'down.example.com', down: true },
    { host: 'wrong.example.com', images: [img('x/app', 'app')], faults: [{ kind: 'wrong-digest', route: 'manifest' }] },
    { host: 'portal.example.com', images: [img('x/app', 'app')], faults: [{ kind: 'html' }] },
    { host: 'busy.example.com', images: [img('x/app', 'app')], faults: [{ kind: 'status', status: 503, route: 'manifest' }] },
    { host: 'holes.example.com', images: [img('x/app', 'app')], faults: [{ kind: 'status', status: 404, route: 'blob' }] },
    { host: 'registry.redhat.io', images: [img('ubi9/other', 'other'), img('ubi9/ubi', 'ubi')] },
  ]);
  const hostMap = HostMap.parse(Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).map(([h, a]) => `${h}:${a}`));
  client = createRegistryClient({ hostMap });
  const conf = loadRegistriesConfFromTexts({ main: { path: 'verify.conf', text: CONF }, mainPath: 'verify.conf', dropins: [] });
  verdicts = new Map();
  for await (const v of runVerify({ compiled: compileConfig(conf), images: Object.values(IMAGES), noSource: null, checkBlobs: true, jobs: 4, pull: { client, attemptTimeoutMs: 3000 } })) {
    verdicts.set(v.image, v);
  }
});
afterAll(async () => {
  await client?.close();
  await mocks?.close();
});

describe('verify against mock registries', () => {
  it('passes an image a mirror serves by digest, naming the mirror', () => {
    const v = verdicts.get(IMAGES.pass)!;
    expect([v.ok, v.endpoint, v.digest, v.noSource]).toEqual([true, 'mirror.example.com/ocp', D('release'), true]);
    expect(v.mirror).toBe(`mirror.example.com/ocp/release@${D('release')}`);
  });

  it.each([
    ['notMirrored', 'not-mirrored'],
    ['tagOnDigestOnly', 'tag-on-digest-only'],
    ['auth', 'auth'],
    ['unreachable', 'unreachable'],
    ['digestMismatch', 'digest-mismatch'],
    ['sourceOnly', 'source-only'],
    ['notARegistry', 'not-a-registry'],
    ['mirrorError', 'mirror-error'],
    ['blobsMissing', 'blobs-missing'],
    ['blocked', 'blocked'],
  ] as const)('fails %s with reason %s', (key, reason) => {
    const v = verdicts.get(IMAGES[key])!;
    expect(v.ok).toBe(false);
    expect(v.reason).toBe(reason);
  });

  it('never contacts a blocked source', () => {
    for (const key of ['notMirrored', 'auth', 'unreachable', 'digestMismatch'] as const) {
      const v = verdicts.get(IMAGES[key])!;
      expect(v.noSource).toBe(true);
      expect(v.attempts.filter((a) => a.outcome !== 'skipped').every((a) => a.mirror)).toBe(true);
    }
  });

  it('lets the source answer for an unblocked entry but still fails the image', () => {
    const v = verdicts.get(IMAGES.sourceOnly)!;
    expect(v.attempts.map((a) => [a.location, a.outcome])).toEqual([['mirror.example.com/redhat', 'failed'], ['registry.redhat.io', 'ok']]);
    expect(verdicts.get(IMAGES.passUnblocked)!.ok).toBe(true);
  });

  it('summarises passed and missing by reason', () => {
    const s = summarizeVerdicts([...verdicts.values()]);
    expect([s.total, s.passed, s.failed]).toEqual([12, 2, 10]);
    expect(s.byReason).toEqual({
      'not-mirrored': 1, 'tag-on-digest-only': 1, auth: 1, unreachable: 1, 'digest-mismatch': 1, 'source-only': 1,
      'not-a-registry': 1, 'mirror-error': 1, 'blobs-missing': 1, blocked: 1,
    });
    expect(s.byMirror).toEqual({ 'mirror.example.com/ocp': 1, 'mirror.example.com/redhat': 1 });
  });
});
