/** Where containerd 1.7 and 2.x differ from 1.6.20 (read from their remotes/docker/config sources). */
import { describe, expect, it } from 'vitest';
import { containerdSetupFromTexts, parseContainerdConfig, resolveContainerd, type ContainerdCompat } from '../../src/containerd/index.ts';

function resolve(text: string, ref: string, compat: ContainerdCompat) {
  const setup = containerdSetupFromTexts({ hostsDirs: [{ dir: '/r', hosts: { _default: { path: '/r/_default/hosts.toml', text } } }], compat });
  return { setup, r: resolveContainerd(setup, ref) };
}
const urls = (x: ReturnType<typeof resolve>) => x.r.sources.map((s) => s.location);

describe('containerd --compat differences', () => {
  it('a file with only server: ignored by 1.6, a redirect in 1.7 and 2.x', () => {
    const text = 'server = "https://mirror.example"\n';
    expect(urls(resolve(text, 'quay.io/a:1', '1.6'))).toEqual(['https://quay.io/v2']);
    expect(urls(resolve(text, 'quay.io/a:1', '1.7'))).toEqual(['https://mirror.example/v2']);
    expect(urls(resolve(text, 'quay.io/a:1', '2.x'))).toEqual(['https://mirror.example/v2']);
  });

  it('loopback without a file: 1.6 http; 1.7+ https first with HTTP fallback, https only for no port or 443, plain http for :80', () => {
    const none = (ref: string, c: ContainerdCompat) => resolveContainerd(containerdSetupFromTexts({ hostsDirs: [], compat: c }), ref).sources[0]!.containerd!;
    expect(none('localhost:5000/a:1', '1.6')).toMatchObject({ scheme: 'http', skipVerify: true });
    expect(none('localhost:5000/a:1', '1.7')).toMatchObject({ scheme: 'https', skipVerify: true, httpFallback: true });
    expect(none('localhost/a:1', '2.x')).toMatchObject({ scheme: 'https', skipVerify: true });
    expect(none('127.0.0.1:80/a:1', '2.x')).toMatchObject({ scheme: 'http', skipVerify: false });
  });

  it('2.x: [host] order from table headers only (dotted-key hosts are left out), dial_timeout, referrers', () => {
    const text = '[host]\n"dotted.example".skip_verify = true\n[host."b.example"]\ndial_timeout = "2s"\ncapabilities = ["pull", "resolve", "referrers"]\n[host."a.example"]\n';
    // "referrers" is an unknown capability in 1.6: the whole file is ignored, the registry itself is used.
    expect(urls(resolve(text, 'quay.io/a:1', '1.6'))).toEqual(['https://quay.io/v2']);
    expect(resolve(text, 'quay.io/a:1', '1.6').setup.problems[0]!.message).toBe('unknown capability referrers');
    const v2 = resolve(text, 'quay.io/a:1', '2.x');
    expect(urls(v2)).toEqual(['https://b.example/v2', 'https://a.example/v2', 'https://quay.io/v2']);
    expect(v2.r.sources[0]!.containerd!.dialTimeoutMs).toBe(2000);
  });

  it('2.x: a host whose tables are split by another host\'s table is listed twice', () => {
    const text = '[host."a.example"]\n[host."b.example"]\n[host."a.example".header]\nx = "1"\n';
    expect(urls(resolve(text, 'quay.io/a:1', '2.x'))).toEqual(['https://a.example/v2', 'https://b.example/v2', 'https://a.example/v2', 'https://quay.io/v2']);
    expect(urls(resolve(text, 'quay.io/a:1', '1.6'))).toEqual(['https://a.example/v2', 'https://b.example/v2', 'https://quay.io/v2']);
  });

  it('config.toml: 2.x defaults config_path to /etc/containerd/certs.d:/etc/docker/certs.d; configs.tls with config_path is an error only before 2.x', () => {
    expect(parseContainerdConfig('c.toml', 'version = 3\n', '2.x').roots).toEqual(['/etc/containerd/certs.d', '/etc/docker/certs.d']);
    expect(parseContainerdConfig('c.toml', 'version = 2\n', '1.6').roots).toEqual([]);
    const tls = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\nconfig_path = "/d"\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r.example".tls]\ninsecure_skip_verify = true\n';
    expect(parseContainerdConfig('c.toml', tls, '1.7').error).toBe('`configs.tls` cannot be set when `config_path` is provided');
    expect(parseContainerdConfig('c.toml', tls, '2.x').error).toBeNull();
    const v3 = 'version = 3\n[plugins."io.containerd.cri.v1.images".registry]\nconfig_path = "/a:/b"\n';
    expect(parseContainerdConfig('c.toml', v3, '2.x').roots).toEqual(['/a', '/b']);
    expect(parseContainerdConfig('c.toml', v3, '1.6').error).toContain('unsupported config version');
  });
});
