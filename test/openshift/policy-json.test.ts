/** MCO TestUpdatePolicyJSON (research §3.2): exact bytes for "allowed", structure for the other cases. */
import { describe, expect, it } from 'vitest';
import { ERR_ALLOWED_AND_BLOCKED, updatePolicyJson } from '../../src/openshift/policy-json.ts';
import { renderOpenShift } from '../../src/openshift/render.ts';
import { STOCK_POLICY_JSON } from '../../src/openshift/templates.ts';
import { objs } from './helpers.ts';

const opts = { payloadRepo: 'release-reg.io/image/release', indent: true, filterAtomic: true };
const update = (blocked: string[] | null, allowed: string[] | null) => updatePolicyJson(STOCK_POLICY_JSON, 'policy.json', blocked, allowed, opts);
const A = { type: 'insecureAcceptAnything' };
const R = { type: 'reject' };
const DAEMON = { '': [A] };

describe('updatePolicyJson', () => {
  it('"allowed": exact MarshalIndent bytes, no trailing newline', () => {
    const want = `{
  "default": [
    {
      "type": "reject"
    }
  ],
  "transports": {
    "atomic": {
      "*.allowed-example.com": [
        {
          "type": "insecureAcceptAnything"
        }
      ],
      "allow.io": [
        {
          "type": "insecureAcceptAnything"
        }
      ]
    },
    "docker": {
      "*.allowed-example.com": [
        {
          "type": "insecureAcceptAnything"
        }
      ],
      "allow.io": [
        {
          "type": "insecureAcceptAnything"
        }
      ]
    },
    "docker-daemon": {
      "": [
        {
          "type": "insecureAcceptAnything"
        }
      ]
    }
  }
}`;
    expect(update(null, ['allow.io', '*.allowed-example.com'])).toBe(want);
  });

  it('"unchanged": the template is returned byte for byte', () => {
    expect(update(null, null)).toBe(STOCK_POLICY_JSON);
  });

  it.each([
    { name: 'blocked', blocked: ['block.com', '*.blocked-example.com'], allowed: null, def: A, docker: { 'block.com': [R], '*.blocked-example.com': [R] }, atomic: null },
    { name: 'blocked + payload allowed', blocked: ['block.com'], allowed: ['release-reg.io/image/release'], def: A, docker: { 'block.com': [R], 'release-reg.io/image/release': [A] }, atomic: null },
    {
      name: 'blocked payload registry + payload allowed',
      blocked: ['block.com', 'release-reg.io'],
      allowed: ['release-reg.io/image/release'],
      def: A,
      docker: { 'block.com': [R], 'release-reg.io': [R], 'release-reg.io/image/release': [A] },
      atomic: null,
    },
    {
      name: 'allowed with deep scopes',
      blocked: null,
      allowed: ['allow.io', 'allow.io/namespace1/namespace2', 'allowed-example.com/namespace1/namespace2/namespace3'],
      def: R,
      docker: { 'allow.io': [A], 'allow.io/namespace1/namespace2': [A], 'allowed-example.com/namespace1/namespace2/namespace3': [A] },
      atomic: { 'allow.io': [A], 'allow.io/namespace1/namespace2': [A] },
    },
    {
      name: 'blocked with deep scopes',
      blocked: ['block.com', 'block.com/namespace1/namespace2', 'blocked-example.com/namespace1/namespace2/namespace3'],
      allowed: null,
      def: A,
      docker: { 'block.com': [R], 'block.com/namespace1/namespace2': [R], 'blocked-example.com/namespace1/namespace2/namespace3': [R] },
      atomic: { 'block.com': [R], 'block.com/namespace1/namespace2': [R] },
    },
  ])('$name', ({ blocked, allowed, def, docker, atomic }) => {
    const got = JSON.parse(update(blocked, allowed));
    expect(got).toEqual({ default: [def], transports: { atomic: atomic ?? docker, docker, 'docker-daemon': DAEMON } });
  });

  it('both lists (beyond the payload special case) is the MCO error', () => {
    expect(() => update(['block.com', 'another-block.io'], ['allow.io'])).toThrow(ERR_ALLOWED_AND_BLOCKED);
  });

  it('keys are sorted in byte order: "*." before letters, atomic < docker < docker-daemon', () => {
    const text = update(null, ['b.io', '*.z.io', 'a.io']);
    expect([...text.matchAll(/^ {6}"([^"]*)": \[/gm)].map((m) => m[1])).toEqual(['*.z.io', 'a.io', 'b.io', '*.z.io', 'a.io', 'b.io', '']);
  });

  it('compact form for older release lines (json.Marshal)', () => {
    const got = updatePolicyJson(STOCK_POLICY_JSON, 'p', null, ['allow.io'], { ...opts, indent: false });
    expect(got).toBe('{"default":[{"type":"reject"}],"transports":{"atomic":{"allow.io":[{"type":"insecureAcceptAnything"}]},"docker":{"allow.io":[{"type":"insecureAcceptAnything"}]},"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}');
  });

  it('Go escapes <, > and & in strings', () => {
    expect(update(null, ['a&b.io'])).toContain('"a\\u0026b.io"');
  });

  it('E9 payload: default accept, quay.io reject, payload repo accept (both transports)', () => {
    const r = renderOpenShift(objs({ blocked: ['quay.io'], idms: [[['quay.io/openshift-release-dev/ocp-release', ['mirror.local/ocp/release']]]] }), {
      releaseImage: 'quay.io/openshift-release-dev/ocp-release@sha256:' + 'b'.repeat(64),
    });
    const docker = { 'quay.io': [R], 'quay.io/openshift-release-dev/ocp-release': [A] };
    expect(JSON.parse(r.files.policyJson)).toEqual({ default: [A], transports: { atomic: docker, docker, 'docker-daemon': DAEMON } });
  });

  it('blocking exactly the payload repository (mirrored) takes the allowed branch: default reject ([derived] §3.1)', () => {
    const r = renderOpenShift(objs({ blocked: ['quay.io/openshift-release-dev/ocp-release'], idms: [[['quay.io/openshift-release-dev/ocp-release', ['mirror.local/ocp/release']]]] }), {
      releaseImage: 'quay.io/openshift-release-dev/ocp-release@sha256:' + 'b'.repeat(64),
    });
    expect(JSON.parse(r.files.policyJson).default).toEqual([R]);
  });
});
