/** MCO TestGetValidBlockAndAllowedRegistries and TestRegistriesValidation (research §3.1). */
import { describe, expect, it } from 'vitest';
import { parsePayloadRef, validBlockedAndAllowed } from '../../src/openshift/payload.ts';
import { renderOpenShift } from '../../src/openshift/render.ts';
import { objs } from './helpers.ts';

const D = '@sha256:4207' + '0'.repeat(60);
const rule = (source: string, mirrors: string[]) => ({ source, mirrors, mirrorSourcePolicy: '' as const });

describe('validBlockedAndAllowed (payload special-casing)', () => {
  const payload = parsePayloadRef(`payload-reg.io/release-image${D}`);
  it.each([
    { blocked: ['block.io', 'block-2.io'], idms: [], rb: ['block.io', 'block-2.io'], pb: ['block.io', 'block-2.io'], allowed: null, err: false },
    {
      blocked: ['block.io', 'block-2.io'],
      idms: [rule('src.io/payload', ['mirror-1.io/payload', 'mirror-2.io/payload'])],
      rb: ['block.io', 'block-2.io'],
      pb: ['block.io', 'block-2.io'],
      allowed: null,
      err: false,
    },
    {
      blocked: ['block.io', 'payload-reg.io', 'block-2.io'],
      idms: [rule('src.io/payload', ['mirror-1.io/payload', 'mirror-2.io/payload'])],
      rb: ['block.io', 'block-2.io'],
      pb: ['block.io', 'block-2.io'],
      allowed: null,
      err: true,
    },
    {
      blocked: ['block.io', 'payload-reg.io', 'block-2.io'],
      idms: [rule('payload-reg.io/release-image', ['mirror-1.io/payload', 'mirror-2.io/payload'])],
      rb: ['block.io', 'payload-reg.io', 'block-2.io'],
      pb: ['block.io', 'payload-reg.io', 'block-2.io'],
      allowed: ['payload-reg.io/release-image'],
      err: false,
    },
  ])('blocked $blocked → registries $rb, policy $pb, allowed $allowed', ({ blocked, idms, rb, pb, allowed, err }) => {
    const got = validBlockedAndAllowed(payload, null, blocked, null, idms, false);
    expect(got.registriesBlocked).toEqual(rb);
    expect(got.policyBlocked).toEqual(pb);
    expect(got.allowed).toEqual(allowed);
    expect(got.droppedError !== null).toBe(err);
  });

  it('a mirror that is itself blocked does not count (release quay.io/openshift-release-dev)', () => {
    const p = parsePayloadRef(`quay.io/openshift-release-dev${D}`);
    const a = validBlockedAndAllowed(p, null, ['quay.io', 'block.io/openshift-release-dev'], null, [rule('quay.io', ['block.io'])], false);
    expect([a.registriesBlocked, a.policyBlocked, a.allowed]).toEqual([['block.io/openshift-release-dev'], ['block.io/openshift-release-dev'], null]);
    expect(a.droppedError).toBe('error adding ["quay.io"] to blocked registries, cannot block the repository being used by the payload');
    const b = validBlockedAndAllowed(p, null, ['quay.io', 'block.io'], null, [rule('quay.io/openshift-release-dev', ['block.io/openshift-release-dev'])], false);
    expect([b.registriesBlocked, b.policyBlocked, b.allowed]).toEqual([['block.io'], ['block.io'], null]);
    expect(b.droppedError).not.toBeNull();
  });

  it('TestRegistriesValidation: blah.io payload', () => {
    const p = parsePayloadRef(`blah.io/payload/myimage${D}`);
    const a = validBlockedAndAllowed(p, null, ['blah.io', 'docker.io'], null, [], false);
    expect(a.registriesBlocked).toEqual(['docker.io']);
    expect(a.droppedError).not.toBeNull();
    const b = validBlockedAndAllowed(p, ['blah.io'], ['docker.io'], null, [], false);
    expect([b.registriesBlocked, b.droppedError]).toEqual([['docker.io'], null]);
    const c = validBlockedAndAllowed(p, null, ['blah.io', 'docker.io'], null, [rule('blah.io/payload', ['mirror-1.io/payload', 'mirror-2.io/payload'])], false);
    expect([c.registriesBlocked, c.allowed, c.droppedError]).toEqual([['blah.io', 'docker.io'], ['blah.io/payload/myimage'], null]);
    const d = validBlockedAndAllowed(p, null, ['blah.io/payload', 'docker.io'], null, [rule('blah.io', ['mirror-1.io', 'mirror-2.io'])], false);
    expect([d.registriesBlocked, d.allowed, d.droppedError]).toEqual([['blah.io/payload', 'docker.io'], ['blah.io/payload/myimage'], null]);
  });

  it('an unparsable or non-canonical release image is the MCO fatal error', () => {
    expect(() => parsePayloadRef('busybox')).toThrow(/^error parsing reference of release image/);
    expect(() => parsePayloadRef('')).toThrow(/^error parsing reference of release image/);
  });
});

describe('payload handling in renderOpenShift', () => {
  it('blocking the payload registry without mirrors drops it with the MCO message as a warning', () => {
    const r = renderOpenShift(objs({ blocked: ['quay.io', 'bad.io'] }), { releaseImage: `quay.io/openshift-release-dev/ocp-release${D}` });
    expect(r.errors).toEqual([]);
    expect(r.warnings.find((w) => w.code === 'payload-block-dropped')?.message).toBe(
      'error adding ["quay.io"] to blocked registries, cannot block the repository being used by the payload, skipping....',
    );
    expect(r.files.registriesConf).not.toContain('location = "quay.io"');
    expect(r.files.registriesConf).toContain('location = "bad.io"');
  });

  it('an invalid release image is an error and nothing is rendered', () => {
    const r = renderOpenShift(objs({ blocked: ['bad.io'] }), { releaseImage: 'not a ref' });
    expect(r.errors[0]?.message).toMatch(/^error parsing reference of release image/);
    expect(r.generated).toEqual({ registriesConf: false, policyJson: false });
  });

  it('the release image can come from a ClusterVersion object', () => {
    const o = objs({ blocked: ['quay.io'] });
    o.releaseImage = `quay.io/openshift-release-dev/ocp-release${D}`;
    expect(renderOpenShift(o).warnings.some((w) => w.code === 'payload-block-dropped')).toBe(true);
  });
});
