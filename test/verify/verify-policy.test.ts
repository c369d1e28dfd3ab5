/**
 * verify with a policy (`--policy`, or the policy.json rendered from `--openshift`): an image a mirror serves
 * still fails when policy.json rejects it, judged on the reference asked for (never the mirror's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig } from '../../src/resolve/compile.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { parsePolicy } from '../../src/policy/index.ts';
import { runVerify } from '../../src/verify/run-verify.ts';
import type { VerifyVerdict } from '../../src/verify/verdict.ts';

const D = (content: string) => mockImageDigest({ repository: 'x', content });
const CONF = `
[[registry]]
prefix = "quay.io"
location = "quay.io"
blocked = true
[[registry.mirror]]
location = "mirror.example.com/quay"
insecure = true
`;
// Allowed: quay.io/openshift only (as an OpenShift allowedRegistries list renders); everything else rejected.
const POLICY = parsePolicy(
  JSON.stringify({ default: [{ type: 'reject' }], transports: { docker: { 'quay.io/openshift': [{ type: 'insecureAcceptAnything' }] } } }),
  'policy.json',
);

let mocks: MockRegistrySet;
let client: RegistryClient;
const verdicts = new Map<string, VerifyVerdict>();
const allowed = `quay.io/openshift/app@${D('ok')}`;
const rejected = `quay.io/thirdparty/app@${D('other')}`;

beforeAll(async () => {
  mocks = await startMockRegistries([
    { host: 'mirror.example.com', images: [{ repository: 'quay/openshift/app', content: 'ok', tags: ['1'] }, { repository: 'quay/thirdparty/app', content: 'other', tags: ['1'] }] },
  ]);
  client = createRegistryClient({ hostMap: HostMap.parse([`mirror.example.com:${mocks.hostMap['mirror.example.com']}`]) });
  const conf = loadRegistriesConfFromTexts({ main: { path: 'v.conf', text: CONF }, mainPath: 'v.conf', dropins: [] });
  for await (const v of runVerify({ compiled: compileConfig(conf), images: [allowed, rejected], noSource: null, checkBlobs: false, jobs: 2, pull: { client, attemptTimeoutMs: 3000, policy: POLICY } })) {
    verdicts.set(v.image, v);
  }
});
afterAll(async () => {
  await client?.close();
  await mocks?.close();
});

describe('verify with a policy', () => {
  it('passes an allowed image served by the mirror', () => {
    expect(verdicts.get(allowed)).toMatchObject({ ok: true, endpoint: 'mirror.example.com/quay' });
  });

  it('fails a mirrored image that policy.json rejects, with reason policy and the runtime message', () => {
    const v = verdicts.get(rejected)!;
    expect(v.ok).toBe(false);
    expect(v.reason).toBe('policy');
    expect(v.detail).toContain(`Running image docker://${rejected} is rejected by policy.`);
  });
});
