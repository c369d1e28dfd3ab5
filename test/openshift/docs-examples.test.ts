/**
 * The examples of OpenShift's documentation (seed 000_ae4fd07220c9dc05.txt, "配置镜像 registry 设置"),
 * rendered from the fixture objects and compared with the files the documentation shows. The docs print
 * files with whitespace collapsed and sometimes only the entries a section is about, so TOML/JSON outputs
 * are compared as data, and the ICSP example (complete in the docs) token for token.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { loadOpenShiftObjects } from '../../src/openshift/load-objects.ts';
import { renderOpenShift } from '../../src/openshift/render.ts';

const F = 'test/fixtures/openshift';
const render = async (file: string, ocpVersion?: string) => renderOpenShift(await loadOpenShiftObjects([`${F}/${file}`]), ocpVersion ? { ocpVersion } : {});
const tokens = (s: string): string[] => s.split(/\s+/).filter(Boolean);
const I = [{ type: 'insecureAcceptAnything' }];

// "例 9.1. 镜像签名策略文件示例", verbatim from the documentation.
const DOC_POLICY = `{ "default":[ { "type":"reject" } ], "transports":{ "atomic":{ "example.com":[ { "type":"insecureAcceptAnything" } ], "image-registry.openshift-image-registry.svc:5000":[ { "type":"insecureAcceptAnything" } ], "insecure.com":[ { "type":"insecureAcceptAnything" } ], "quay.io":[ { "type":"insecureAcceptAnything" } ], "reg4.io/myrepo/myapp:latest":[ { "type":"insecureAcceptAnything" } ], "registry.redhat.io":[ { "type":"insecureAcceptAnything" } ] }, "docker":{ "example.com":[ { "type":"insecureAcceptAnything" } ], "image-registry.openshift-image-registry.svc:5000":[ { "type":"insecureAcceptAnything" } ], "insecure.com":[ { "type":"insecureAcceptAnything" } ], "quay.io":[ { "type":"insecureAcceptAnything" } ], "reg4.io/myrepo/myapp:latest":[ { "type":"insecureAcceptAnything" } ], "registry.redhat.io":[ { "type":"insecureAcceptAnything" } ] }, "docker-daemon":{ "":[ { "type":"insecureAcceptAnything" } ] } } }`;

const DOC_ICSP_412 = `unqualified-search-registries = ["registry.access.redhat.com", "docker.io"] short-name-mode = "" [[registry]] prefix = "" location = "registry.access.redhat.com/ubi8/ubi-minimal" mirror-by-digest-only = true [[registry.mirror]] location = "example.io/example/ubi-minimal" [[registry.mirror]] location = "example.com/example/ubi-minimal" [[registry]] prefix = "" location = "registry.example.com" mirror-by-digest-only = true [[registry.mirror]] location = "mirror.example.net/registry-example-com" [[registry]] prefix = "" location = "registry.example.com/example" mirror-by-digest-only = true [[registry.mirror]] location = "mirror.example.net" [[registry]] prefix = "" location = "registry.example.com/example/myimage" mirror-by-digest-only = true [[registry.mirror]] location = "mirror.example.net/image" [[registry]] prefix = "" location = "registry.redhat.io" mirror-by-digest-only = true [[registry.mirror]] location = "mirror.example.com" [[registry]] prefix = "" location = "registry.redhat.io/openshift4" mirror-by-digest-only = true [[registry.mirror]] location = "mirror.example.com/redhat"`;

describe('OpenShift documentation examples', () => {
  it('the documented policy.json example comes from the insecureRegistries + allowedRegistries example', async () => {
    const r = await render('docs-insecure.yaml');
    expect(JSON.parse(r.files.policyJson)).toEqual(JSON.parse(DOC_POLICY));
  });

  it('the documented allow list (with reg1.io/myrepo/myapp:latest) becomes default reject plus one accept per scope', async () => {
    const r = await render('docs-allowed.yaml');
    const scopes = Object.fromEntries(['example.com', 'quay.io', 'registry.redhat.io', 'reg1.io/myrepo/myapp:latest', 'image-registry.openshift-image-registry.svc:5000'].map((s) => [s, I]));
    expect(JSON.parse(r.files.policyJson)).toEqual({ default: [{ type: 'reject' }], transports: { atomic: scopes, docker: scopes, 'docker-daemon': { '': I } } });
    expect(r.generated.registriesConf).toBe(false);
    // The documentation's own example includes the three registries it says are needed: no payload warning.
    expect(r.warnings.filter((w) => w.code === 'allowed-missing-payload-registry')).toEqual([]);
  });

  it('the documented insecure registry entry: insecure.com with insecure = true', async () => {
    const r = await render('docs-insecure.yaml');
    const conf = parseToml(r.files.registriesConf) as { registry: Record<string, unknown>[]; 'unqualified-search-registries': string[] };
    expect(conf['unqualified-search-registries']).toEqual(['registry.access.redhat.com', 'docker.io']);
    expect(conf.registry).toContainEqual({ prefix: '', location: 'insecure.com', insecure: true });
    expect(r.files.registriesConf).toContain('[[registry]]\n  prefix = ""\n  location = "insecure.com"\n  insecure = true\n');
  });

  it('the documented blocked registry entry: untrusted.com with blocked = true, first in the file', async () => {
    const r = await render('docs-blocked.yaml');
    const conf = parseToml(r.files.registriesConf) as { registry: Record<string, unknown>[] };
    expect(conf.registry[0]).toEqual({ prefix: '', location: 'untrusted.com', blocked: true });
    // The tagged scope becomes an entry too; registries.conf never matches it (warned about).
    expect(conf.registry[1]).toEqual({ prefix: '', location: 'reg1.io/myrepo/myapp:latest', blocked: true });
    expect(r.warnings.map((w) => w.code)).toContain('scope-with-tag');
  });

  it('the documented containerRuntimeSearchRegistries drop-in lists reg1.io, reg2.io, reg3.io', async () => {
    const r = await render('docs-search.yaml');
    const doc = parseToml("unqualified-search-registries = ['reg1.io', 'reg2.io', 'reg3.io']");
    const ours = parseToml(r.files.searchRegistries ?? '');
    expect(ours['unqualified-search-registries']).toEqual(doc['unqualified-search-registries']);
    expect(r.files.searchRegistries).toBe('unqualified-search-registries = ["reg1.io", "reg2.io", "reg3.io"]\nshort-name-mode = ""\nadditional-layer-store-auth-helper = ""\n');
  });

  it('the documented ImageContentSourcePolicy renders token for token as the docs show with --ocp-version 4.12', async () => {
    const r = await render('docs-icsp.yaml', '4.12');
    expect(r.errors).toEqual([]);
    expect(tokens(r.files.registriesConf)).toEqual(tokens(DOC_ICSP_412));
  });

  it('the same ImageContentSourcePolicy on a current cluster uses per-mirror pull-from-mirror = "digest-only"', async () => {
    const r = await render('docs-icsp.yaml');
    expect(r.files.registriesConf).not.toContain('mirror-by-digest-only');
    expect(r.files.registriesConf.match(/pull-from-mirror = "digest-only"/g)).toHaveLength(7);
    expect(r.files.registriesConf.startsWith('unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\nadditional-layer-store-auth-helper = ""\n\n[[registry]]\n  prefix = ""\n  location = "registry.access.redhat.com/ubi8/ubi-minimal"\n\n  [[registry.mirror]]\n    location = "example.io/example/ubi-minimal"\n    pull-from-mirror = "digest-only"\n')).toBe(true);
  });
});
