import { describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { parseCanary, planProbe } from '../../src/probe/endpoints.ts';

const D = 'sha256:' + 'e'.repeat(64);
const config = loadRegistriesConfFromTexts({
  main: {
    path: '/etc/containers/registries.conf',
    text: `
[[registry]]
prefix = "quay.io/ocp"
location = "quay.io/ocp"
blocked = true
[[registry.mirror]]
location = "mirror.example.com/ocp"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "dead.example.com/ocp"

[[registry]]
prefix = "registry.redhat.io"
location = "registry.redhat.io"
[[registry.mirror]]
location = "mirror.example.com/redhat"
insecure = true

[[registry]]
prefix = "*.apps.example.com"

[[registry]]
prefix = "dead.example.com"
location = "dead.example.com"
blocked = true
`,
  },
  mainPath: '/etc/containers/registries.conf',
  dropins: [],
});

describe('planProbe', () => {
  it('lists every location and mirror with its flags; blocked and wildcard ones are skipped with the reason', () => {
    const p = planProbe({ config });
    const rows = p.endpoints.map((e) => [e.location, e.role, e.insecure, e.pullFromMirror, e.prefixes.join(',')]);
    expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['mirror.example.com/ocp', 'mirror', false, 'digest-only', 'quay.io/ocp'],
      ['mirror.example.com/redhat', 'mirror', true, '', 'registry.redhat.io'],
      ['registry.redhat.io', 'primary', false, '', 'registry.redhat.io'],
    ]);
    expect(p.skipped.map((s) => s.location).sort()).toEqual(['*.apps.example.com', 'dead.example.com', 'dead.example.com/ocp', 'quay.io/ocp']);
    expect(p.skipped.find((s) => s.location === 'dead.example.com/ocp')!.reason).toMatch(/blocked by \[\[registry\]\] "dead\.example\.com"/);
    expect(p.skipped.find((s) => s.location === '*.apps.example.com')!.reason).toMatch(/wildcard prefix without a location/);
  });

  it('gives each prefix its endpoints in pull order (mirrors, then the location), without skipped ones', () => {
    expect(planProbe({ config, images: ['ghcr.io/org/tool:1'] }).prefixes).toEqual([
      { prefix: 'quay.io/ocp', endpoints: ['mirror.example.com/ocp'] }, // dead.example.com/ocp and the source are blocked
      { prefix: 'registry.redhat.io', endpoints: ['mirror.example.com/redhat', 'registry.redhat.io'] },
      { prefix: 'ghcr.io', endpoints: ['ghcr.io/org/tool:1'] }, // an image no [[registry]] covers: its own source
    ]);
    expect(planProbe({ config, mirrorsOnly: true }).prefixes).toEqual([
      { prefix: 'quay.io/ocp', endpoints: ['mirror.example.com/ocp'] },
      { prefix: 'registry.redhat.io', endpoints: ['mirror.example.com/redhat'] },
    ]);
  });

  it('gives canaries per endpoint from the resolver: a tag canary skips digest-only mirrors', () => {
    const p = planProbe({ config, canaries: [parseCanary(`quay.io/ocp=quay.io/ocp/release@${D}`)], images: ['registry.redhat.io/ubi9/ubi:9', 'ghcr.io/org/tool:1'] });
    const canary = (loc: string) => p.endpoints.find((e) => e.location === loc)!.canary;
    expect(canary('mirror.example.com/ocp')).toBe(`mirror.example.com/ocp/release@${D}`);
    expect(canary('mirror.example.com/redhat')).toBe('mirror.example.com/redhat/ubi9/ubi:9');
    expect(canary('registry.redhat.io')).toBe('registry.redhat.io/ubi9/ubi:9');
    // An image no [[registry]] covers adds its own registry.
    expect(canary('ghcr.io/org/tool:1')).toBe('ghcr.io/org/tool:1');
    const tagOnly = planProbe({ config, images: ['quay.io/ocp/release:4.16'] });
    expect(tagOnly.endpoints.find((e) => e.location === 'mirror.example.com/ocp')!.canary).toBeNull();
    expect(tagOnly.notes.join('\n')).toMatch(/mirror\.example\.com\/ocp: no canary image \(give --canary quay\.io\/ocp=REF, by digest for digest-only mirrors\)/);
  });

  it.each([
    ['quay.io/ocp', /expected PREFIX=REF/],
    ['=quay.io/x:1', /expected PREFIX=REF/],
  ])('rejects --canary %s', (spec, msg) => expect(() => parseCanary(spec)).toThrow(msg));

  it('rejects a canary for an unknown prefix or one that matches another entry', () => {
    expect(() => planProbe({ config, canaries: [{ prefix: 'nope.io', ref: 'nope.io/a:1' }] })).toThrow(/no \[\[registry\]\] has prefix "nope\.io"/);
    expect(() => planProbe({ config, canaries: [{ prefix: 'quay.io/ocp', ref: 'registry.redhat.io/a:1' }] })).toThrow(/matches \[\[registry\]\] "registry\.redhat\.io", not "quay\.io\/ocp"/);
  });
});

describe('planProbe --mirrors-only', () => {
  it('probes mirrors only; each source is skipped with the reason (a disconnected cluster expects it down)', () => {
    const p = planProbe({ config, mirrorsOnly: true, images: ['ghcr.io/org/tool:1'] });
    expect(p.endpoints.map((e) => [e.location, e.role]).sort()).toEqual([
      ['mirror.example.com/ocp', 'mirror'],
      ['mirror.example.com/redhat', 'mirror'],
    ]);
    const reason = (loc: string) => p.skipped.find((s) => s.location === loc)?.reason;
    expect(reason('registry.redhat.io')).toMatch(/source of registry\.redhat\.io: not probed with --mirrors-only/);
    expect(reason('ghcr.io/org/tool:1')).toMatch(/source of ghcr\.io: not probed with --mirrors-only/);
    // Blocked sources keep their own reason.
    expect(reason('quay.io/ocp')).toMatch(/blocked in registries\.conf/);
    // No canary note for an endpoint that is not probed.
    expect(p.notes.some((n) => n.startsWith('registry.redhat.io:'))).toBe(false);
  });
});
