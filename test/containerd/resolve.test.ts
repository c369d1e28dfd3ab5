import { describe, expect, it } from 'vitest';
import { containerdSetupFromTexts, resolveContainerd, type HostsDirInput } from '../../src/containerd/index.ts';

const root = '/etc/containerd/certs.d';
function setup(hosts: Record<string, string | null>, compat?: '1.6' | '1.7' | '2.x') {
  const input: HostsDirInput = { dir: root, hosts: {} };
  for (const [name, text] of Object.entries(hosts)) input.hosts[name] = text === null ? null : { path: `${root}/${name}/hosts.toml`, text };
  return containerdSetupFromTexts({ hostsDirs: [input], ...(compat ? { compat } : {}) });
}
const urls = (r: ReturnType<typeof resolveContainerd>) => r.sources.map((s) => s.location);

describe('resolveContainerd (containerd 1.6.20 rules)', () => {
  it('tries [host] tables in file order, then server last, with ?ns= for every host but the registry', () => {
    const s = setup({
      'quay.io': 'server = "https://quay.io"\n[host."https://b.example"]\n[host."a.example:5000/v2/prefix"]\n',
    });
    const r = resolveContainerd(s, 'quay.io/org/app:1');
    expect(urls(r)).toEqual(['https://b.example/v2', 'https://a.example:5000/v2/prefix/v2', 'https://quay.io/v2']);
    expect(r.sources.map((x) => x.containerd?.ns)).toEqual(['quay.io', 'quay.io', null]);
    expect(r.sources[2]!.containerd?.isServer).toBe(true);
    expect(r.registry?.origin).toBe(`${root}/quay.io/hosts.toml:2`);
    expect(r.sources[0]!.reference).toBe('b.example/org/app:1');
  });

  it('docker.io without server ends at https://registry-1.docker.io/v2, without ?ns=', () => {
    const r = resolveContainerd(setup({ 'docker.io': '[host."mirror.example"]\n' }), 'alpine');
    expect(urls(r)).toEqual(['https://mirror.example/v2', 'https://registry-1.docker.io/v2']);
    expect(r.sources[0]!.containerd?.ns).toBe('docker.io');
    expect(r.sources[1]!.containerd?.ns).toBeNull();
    expect(r.normalized).toBe('docker.io/library/alpine:latest');
  });

  it('a pull-only host is skipped for a tag and used for a digest', () => {
    const s = setup({ 'quay.io': '[host."m.example"]\ncapabilities = ["pull"]\n' });
    const tag = resolveContainerd(s, 'quay.io/a/b:1');
    expect(urls(tag)).toEqual(['https://quay.io/v2']);
    expect(tag.skipped[0]).toMatchObject({ location: 'https://m.example/v2', kind: 'capability' });
    // The fetch walk after the tag resolved: every host with "pull", the skipped mirror first.
    const fetch = (tag as { containerdFetchHosts?: Array<{ host: string }> }).containerdFetchHosts;
    expect(fetch?.map((e) => e.host)).toEqual(['m.example', 'quay.io']);
    expect(tag.notes?.join('\n')).toContain('from every host with "pull", in order: https://m.example/v2, https://quay.io/v2');
    const dg = resolveContainerd(s, `quay.io/a/b@sha256:${'a'.repeat(64)}`);
    expect(urls(dg)).toEqual(['https://m.example/v2', 'https://quay.io/v2']);
  });

  it('host_port_ wins over host:port, and an existing directory stops the lookup (no fall-through to _default)', () => {
    const s = setup({ 'reg.example_5000_': '[host."one.example"]\n', 'reg.example:5000': '[host."two.example"]\n', _default: '[host."dflt.example"]\n' });
    expect(urls(resolveContainerd(s, 'reg.example:5000/a:1'))[0]).toBe('https://one.example/v2');
    const empty = setup({ 'reg.example': null, _default: '[host."dflt.example"]\n' });
    expect(urls(resolveContainerd(empty, 'reg.example/a:1'))).toEqual(['https://reg.example/v2']);
    expect(urls(resolveContainerd(empty, 'other.example/a:1'))).toEqual(['https://dflt.example/v2', 'https://other.example/v2']);
  });

  it('ignores the whole file on any problem and keeps the error as a note', () => {
    for (const [text, err] of [
      ['[host."m"]\ncapabilities = ["pull", "fetch"]\n', 'unknown capability fetch'],
      ['server = "https://m.example"\n', 'invalid `host` tree'],
      ['[[host]]\nx = 1\n', 'invalid `host` tree'],
      ['[host."m"]\nskip_verify = "yes"\n', "Can't convert"],
      ['[host."m"\n', 'failed to parse TOML'],
    ] as const) {
      const s = setup({ 'quay.io': text });
      const r = resolveContainerd(s, 'quay.io/a:1');
      expect(urls(r)).toEqual(['https://quay.io/v2']);
      expect(s.problems[0]!.message).toContain(err);
      expect(r.notes?.join('\n')).toContain('containerd ignores this file');
    }
  });

  it('a file with only server (1.6): the note names the file without a line, never hosts.toml:0', () => {
    const s = setup({ 'quay.io': '# only a server\nserver = "https://m.example"\n' });
    const note = resolveContainerd(s, 'quay.io/a:1').notes?.find((n) => n.includes('containerd ignores this file'));
    expect(note).toBeDefined();
    expect(note!.startsWith(`${root}/quay.io/hosts.toml: containerd ignores`)).toBe(true);
    expect(note).not.toMatch(/hosts\.toml:0\b/);
  });

  it('path rules: cleaned, /v2 appended unless already there or override_path', () => {
    const s = setup({
      'quay.io': '[host."https://a/"]\n[host."https://b/v2"]\n[host."https://c/x/../y"]\n[host."https://d/raw"]\noverride_path = true\n',
    });
    expect(urls(resolveContainerd(s, 'quay.io/a:1'))).toEqual(['https://a//v2', 'https://b/v2', 'https://c/y/v2', 'https://d/raw', 'https://quay.io/v2']);
  });

  it('schemes: "http…" names are taken as having a scheme, upper-case HTTPS:// is not recognised', () => {
    const s = setup({ 'quay.io': '[host."http://p.example"]\n[host."HTTPS://u.example"]\n' });
    const r = resolveContainerd(s, 'quay.io/a:1');
    expect(urls(r)).toEqual(['http://p.example/v2', 'https://HTTPS:/u.example/v2', 'https://quay.io/v2']);
  });

  it('loopback registries default to http with verification skipped (1.6) and https-first with fallback (1.7)', () => {
    const r16 = resolveContainerd(setup({}), 'localhost:5000/a:1');
    expect(r16.sources[0]!.containerd).toMatchObject({ scheme: 'http', skipVerify: true });
    const r17 = resolveContainerd(setup({}, '1.7'), 'localhost:5000/a:1');
    expect(r17.sources[0]!.containerd).toMatchObject({ scheme: 'https', skipVerify: true, httpFallback: true });
  });

  it('skip_verify never makes a host plain HTTP', () => {
    const r = resolveContainerd(setup({ 'quay.io': '[host."m.example"]\nskip_verify = true\n' }), 'quay.io/a:1');
    expect(r.sources[0]!.containerd).toMatchObject({ scheme: 'https', skipVerify: true });
  });
});
