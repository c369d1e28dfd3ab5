/**
 * The six containerd incidents shipped in scenarios/containerd-*.toml, each run through the real model
 * (resolveContainerd) and engine against its mocks, and checked for the incident itself (which host got which
 * request), beyond the file's own expectations (shipped-scenarios.test.ts checks those for every file).
 * Plus the `[config]` keys of a containerd node: accepted forms and the errors for mixed or bad ones.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { prepareScenario } from '../../src/scenario/prepare.ts';
import { runScenario } from '../../src/scenario/run.ts';
import type { AttemptEvent, ResultEvent } from '../../src/events/pull-events.ts';
import type { ScenarioReport } from '../../src/scenario/types.ts';

const dir = join(import.meta.dirname, '../../scenarios');
const run = async (f: string) => runScenario(await loadScenario(join(dir, f)));
const attempts = (r: ScenarioReport, i: number) => r.pulls[i]!.events.filter((e): e is AttemptEvent => e.type === 'attempt');
const result = (r: ScenarioReport, i: number) => r.pulls[i]!.events.find((e): e is ResultEvent => e.type === 'result')!;
const requestUrls = (r: ScenarioReport, i: number) => attempts(r, i).flatMap((a) => a.steps.map((s) => `${s.method} ${s.url}`));
const mock = (r: ScenarioReport, host: string) => r.mocks.find((m) => m.host === host)!;

describe('containerd incidents (scenarios/containerd-*.toml)', () => {
  it('config_path unset: the docker.io hosts.toml is never read, the mirror gets no request', async () => {
    const r = await run('containerd-config-path-unset.toml');
    expect(r.ok).toBe(true);
    expect(result(r, 0).source).toBe('registry-1.docker.io/library/nginx:1.25');
    expect(mock(r, 'mirror.corp.example.com:5000').requests).toBe(0);
    expect(requestUrls(r, 0)).toEqual(['HEAD https://registry-1.docker.io/v2/library/nginx/manifests/1.25']);
  });

  it('429 on the mirror: six HEADs at once, then Docker Hub serves the pull', async () => {
    const r = await run('containerd-rate-limited-fallback.toml');
    expect(r.ok).toBe(true);
    expect(attempts(r, 0)[0]!.steps.map((s) => s.httpStatus)).toEqual([429, 429, 429, 429, 429, 429]);
    expect(result(r, 0).source).toBe('registry-1.docker.io/library/nginx:1.25');
  });

  it('pull-only mirror: skipped for the tag (which then fails on the unreachable source), used for the digest', async () => {
    const r = await run('containerd-pull-only-mirror-tag.toml');
    expect(r.ok).toBe(true);
    const tagPlan = r.pulls[0]!.events.find((e) => e.type === 'image') as { skipped: { location: string; kind?: string }[] };
    expect(tagPlan.skipped).toEqual([expect.objectContaining({ location: 'http://mirror.corp.example.com:5000/v2', kind: 'capability' })]);
    expect(result(r, 0).ok).toBe(false);
    expect(result(r, 0).notes).toContainEqual(expect.stringMatching(/^crictl pull prints: pulling image: rpc error: code = Unknown desc = failed to pull and unpack image "quay\.io\/acme\/app:1\.4": failed to resolve reference/));
    expect(result(r, 1).ok).toBe(true);
    expect(requestUrls(r, 1)[0]).toMatch(/^HEAD http:\/\/mirror\.corp\.example\.com:5000\/v2\/acme\/app\/manifests\/sha256:[0-9a-f]{64}\?ns=quay\.io$/);
  });

  it('skip_verify without a scheme: https to the HTTP mirror fails, Docker Hub serves', async () => {
    const r = await run('containerd-skip-verify-not-http.toml');
    expect(r.ok).toBe(true);
    expect(attempts(r, 0)[0]!.errorClass).toBe('http-to-https');
    expect(requestUrls(r, 0)[0]).toBe('HEAD https://mirror.corp.example.com:5000/v2/library/nginx/manifests/1.25?ns=docker.io');
    expect(result(r, 0).source).toBe('registry-1.docker.io/library/nginx:1.25');
  });

  it('_default: both registries go to the mirror first, each with its own ?ns=', async () => {
    const r = await run('containerd-default-catches-all.toml');
    expect(r.ok).toBe(true);
    expect(requestUrls(r, 0)).toEqual(['HEAD http://mirror.corp.example.com:5000/v2/acme/app/manifests/1.4?ns=quay.io']);
    expect(requestUrls(r, 1)).toEqual(['HEAD http://mirror.corp.example.com:5000/v2/team/tool/manifests/2.0?ns=ghcr.io', 'HEAD https://ghcr.io/v2/team/tool/manifests/2.0']);
  });

  it('override_path: used as given for docker.io; forgotten for quay.io, /v2 is appended and the cache 404s', async () => {
    const r = await run('containerd-override-path-cache.toml');
    expect(r.ok).toBe(true);
    expect(requestUrls(r, 0)).toEqual(['HEAD https://harbor.corp.example.com/v2/dockerhub/library/nginx/manifests/1.25?ns=docker.io']);
    expect(requestUrls(r, 1)).toEqual(['HEAD https://harbor.corp.example.com/v2/quay/v2/acme/app/manifests/1.4?ns=quay.io', 'HEAD https://quay.io/v2/acme/app/manifests/1.4']);
  });
});

describe('[config] for a containerd node', () => {
  const base = (config: string) => `name = "x"\n${config}\n[[registry]]\nhost = "quay.io"\n[[pull]]\nref = "quay.io/a/b:1"\n[pull.expect]\noutcome = "ok"\n`;

  it('hosts as an inline table of multi-line strings, or as a [config.hosts] table; false = a directory without hosts.toml', () => {
    const a = parseScenario(base(`[config]\nhosts = { "quay.io" = '''\nserver = "https://quay.io"\n''', "_default" = false }`), 's.toml');
    expect(a.config.containerd).toEqual({ hosts: { 'quay.io': 'server = "https://quay.io"\n', _default: null }, root: '/etc/containerd/certs.d', config: null, compat: '1.6' });
    const b = parseScenario(base(`[config]\nhosts-root = "/srv/certs.d"\ncontainerd-compat = "1.7"\n[config.hosts]\n"quay.io" = ""`), 's.toml');
    expect(b.config.containerd).toMatchObject({ root: '/srv/certs.d', compat: '1.7' });
  });

  it('a containerd-config whose config_path names another root reads nothing from hosts-root', () => {
    const s = parseScenario(
      base(`[config]\ncontainerd-config = '''\nversion = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/other"\n'''\nhosts = { "quay.io" = '''\n[host."http://m.example.com"]\n''' }`),
      's.toml',
    );
    const p = prepareScenario(s);
    expect(p.resolutions[0]!.runtime).toBe('containerd');
    expect(p.resolutions[0]!.sources.map((x) => x.containerd!.host)).toEqual(['quay.io']);
  });

  it('exits 2 (a ConfigError naming the key) for a mix with registries-conf, a path as a directory name, or policy-json', () => {
    expect(() => parseScenario(base(`[config]\nregistries-conf = ""\nhosts = { "quay.io" = "" }`), 's.toml')).toThrow(/s\.toml: config\.registries-conf: expected either a containerd node/);
    expect(() => parseScenario(base(`[config]\nhosts = { "../etc" = "" }`), 's.toml')).toThrow(/config\.hosts\."\.\.\/etc": expected a host directory name/);
    expect(() => parseScenario(base(`[config]\nhosts = { "quay.io" = 1 }`), 's.toml')).toThrow(/expected the hosts\.toml text/);
    expect(() => parseScenario(base(`[config]\nhosts = { "quay.io" = "" }\npolicy-json = "{}"`), 's.toml')).toThrow(/config\.policy-json: expected no policy-json for a containerd node/);
  });
});
