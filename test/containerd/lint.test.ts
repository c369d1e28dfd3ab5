import { describe, expect, it } from 'vitest';
import { containerdSetupFromTexts, lintContainerd, type HostsDirInput } from '../../src/containerd/index.ts';

const root = '/etc/containerd/certs.d';
function lint(hosts: Record<string, string | null>, configToml?: string, unreadRoots?: Array<{ dir: string; names: string[] }>) {
  const input: HostsDirInput = { dir: root, hosts: {} };
  for (const [name, text] of Object.entries(hosts)) input.hosts[name] = text === null ? null : { path: `${root}/${name}/hosts.toml`, text };
  const setup = containerdSetupFromTexts({ hostsDirs: [input], ...(configToml ? { configToml: { path: '/etc/containerd/config.toml', text: configToml } } : {}) });
  return lintContainerd({ setup, ...(unreadRoots ? { unreadRoots } : {}) }).findings;
}
const codes = (f: ReturnType<typeof lint>) => f.map((x) => `${x.code} ${x.file.split('/').slice(-2).join('/')}:${x.line ?? '-'}`);

describe('lint --runtime containerd', () => {
  it('a file containerd ignores is an error with containerd\'s text, file and line', () => {
    const f = lint({ 'quay.io': '[host."m.example"]\n  capabilities = ["pull", "fetch"]\n' });
    expect(codes(f)).toEqual(['PP_LINT_CTRD_FILE_IGNORED quay.io/hosts.toml:1']);
    expect(f[0]!.message).toContain('failed to decode hosts.toml: unknown capability fetch');
  });

  it('a server-only file (1.6) says to add a [host] table', () => {
    const f = lint({ 'quay.io': 'server = "https://mirror.example"\n' });
    expect(f[0]!.code).toBe('PP_LINT_CTRD_FILE_IGNORED');
    expect(f[0]!.fix).toContain('[host');
  });

  it('two non-table values under [host] crash ctr 1.6', () => {
    const f = lint({ 'quay.io': '[host]\n  capabilities = ["pull"]\n  skip_verify = true\n' });
    expect(f.map((x) => x.code)).toEqual(['PP_LINT_CTRD_HOST_PANIC']);
    expect(f[0]!.line).toBe(2);
  });

  it('a host without resolve, skip_verify expected to allow HTTP, server back at the source', () => {
    const f = lint({
      'docker.io':
        'server = "https://registry-1.docker.io"\n[host."mirror.example:5000"]\n  capabilities = ["pull"]\n  skip_verify = true\n[host."https://ok.example"]\n  skip_verify = true\n',
    });
    expect(codes(f)).toEqual([
      'PP_LINT_CTRD_NO_RESOLVE docker.io/hosts.toml:3',
      'PP_LINT_CTRD_SKIP_VERIFY_NOT_HTTP docker.io/hosts.toml:4',
      'PP_LINT_CTRD_SERVER_IS_SOURCE docker.io/hosts.toml:1',
    ]);
    expect(f[1]!.message).toContain('port 5000 usually serves plain HTTP');
    expect(f[1]!.fix).toContain('[host."http://mirror.example:5000"]');
  });

  it('directory names that never match, and an empty directory hiding _default', () => {
    const f = lint({ 'reg.example_5000': '[host."m"]\n', 'registry-1.docker.io': '[host."m"]\n', 'quay.io': null, _default: '[host."d.example"]\n' });
    expect(f.map((x) => `${x.code} ${x.file.split('/').pop()}`).sort()).toEqual([
      'PP_LINT_CTRD_DIR_NAME reg.example_5000',
      'PP_LINT_CTRD_DIR_NAME registry-1.docker.io',
      'PP_LINT_CTRD_EMPTY_DIR_HIDES_DEFAULT quay.io',
    ]);
  });

  it('config.toml: mirrors with config_path is an error at the mirror line; config_path unset leaves directories unread', () => {
    const conflict = lint({}, 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["https://m"]\n');
    expect(codes(conflict)).toEqual(['PP_LINT_CTRD_MIRRORS_WITH_CONFIG_PATH containerd/config.toml:5']);
    const unset = lint({}, 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = ""\n', [{ dir: root, names: ['docker.io', 'quay.io'] }]);
    expect(codes(unset)).toEqual(['PP_LINT_CTRD_CONFIG_PATH_UNSET containerd/config.toml:2']);
    expect(unset[0]!.message).toContain('docker.io, quay.io');
  });

  it('a directory named without the port while its server has one', () => {
    const f = lint({ 'reg.example': 'server = "https://reg.example:5000"\n[host."https://m.example"]\n' });
    expect(codes(f)).toEqual(['PP_LINT_CTRD_DIR_NAME reg.example/hosts.toml:1']);
    expect(f[0]!.fix).toBe('rename the directory to "reg.example_5000_"');
  });

  it('a clean tree has no findings', () => {
    expect(lint({ 'quay.io': '[host."https://mirror.example"]\n  capabilities = ["pull", "resolve"]\n', _default: '[host."http://cache.local:5000"]\n' })).toEqual([]);
  });
});
