/**
 * explain with a configuration: the node's attempts beside the chain the configuration gives, and the
 * differences named (no mirror tried, tag pull on digest-only mirrors, the blocking entry with file:line,
 * the auth.json entry, the certs.d directory), with fixes from the one table (what-to-do.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { explain, type ExplainContext } from '../../src/explain/explain.ts';
import { ExplainInputError, parseErrorText } from '../../src/explain/parse.ts';
import { FIX_TEXT } from '../../src/report/what-to-do.ts';

function ctxFor(conf: string, arg: string, extra: Partial<ExplainContext> = {}): ExplainContext {
  const config = loadRegistriesConfFromTexts({ main: { path: '/etc/containers/registries.conf', text: conf }, mainPath: '/etc/containers/registries.conf', dropins: [] });
  return { resolution: resolveArg(compileConfig(config), arg), configName: 'the configuration given', ...extra };
}

const IDMS = `[[registry]]
prefix = ""
location = "quay.io/org"
[[registry.mirror]]
location = "mirror.example.com:5000/org"
`;

describe('explain with a configuration', () => {
  it('a lone primary error while the configuration has a mirror: the node tried no mirror', () => {
    const p = parseErrorText('Failed to pull image "quay.io/org/app:1": rpc error: code = Unknown desc = reading manifest 1 in quay.io/org/app: manifest unknown')[0]!;
    const e = explain(p, ctxFor(IDMS, 'quay.io/org/app:1'));
    const f = e.findings.find((x) => x.kind === 'no-mirror-tried');
    expect(f?.message).toContain("the node's registries.conf has none for this prefix, or the MachineConfig has not rolled out");
    expect(f?.message).toContain('mirror.example.com:5000/org/app:1');
    expect(e.whatToDo.map((x) => x.topic)).toEqual(['not-found', 'config-not-applied']);
    expect(e.expected!.map((s) => s.reference)).toEqual(['mirror.example.com:5000/org/app:1', 'quay.io/org/app:1']);
    // The configuration says the lone error came from the primary; without it, the only source tried.
    expect(e.attempts[0]!.what).toMatch(/^the primary, quay\.io\/org\/app:1: /);
    expect(explain(p).attempts[0]!.what).toMatch(/^the only source tried, quay\.io\/org\/app:1: /);
  });

  it('no finding when the node tried what the configuration says', () => {
    const p = parseErrorText('(Mirrors also failed: [mirror.example.com:5000/org/app:1: reading manifest 1 in mirror.example.com:5000/org/app: manifest unknown]): quay.io/org/app:1: reading manifest 1 in quay.io/org/app: manifest unknown')[0]!;
    expect(explain(p, ctxFor(IDMS, 'quay.io/org/app:1')).findings).toEqual([]);
  });

  it('a mirror the node tried that the configuration lacks, and one it has that the error does not mention', () => {
    const p = parseErrorText('(Mirrors also failed: [old.example.com/org/app:1: reading manifest 1 in old.example.com/org/app: manifest unknown]): quay.io/org/app:1: reading manifest 1 in quay.io/org/app: manifest unknown')[0]!;
    const kinds = explain(p, ctxFor(IDMS, 'quay.io/org/app:1')).findings.map((f) => [f.kind, f.subject]);
    expect(kinds).toEqual([
      ['mirror-not-tried', 'mirror.example.com:5000/org/app:1'],
      ['not-in-config', 'old.example.com/org/app:1'],
    ]);
  });

  it('tag pull with digest-only mirrors: pin by digest or add an ImageTagMirrorSet', () => {
    const conf = IDMS + 'pull-from-mirror = "digest-only"\n';
    const p = parseErrorText('Failed to pull image "quay.io/org/app:1": rpc error: code = Unknown desc = pinging container registry quay.io: Get "https://quay.io/v2/": dial tcp: lookup quay.io: no such host')[0]!;
    const e = explain(p, ctxFor(conf, 'quay.io/org/app:1'));
    expect(e.findings.map((f) => f.kind)).toEqual(['tag-on-digest-only']);
    expect(e.whatToDo.find((f) => f.topic === 'tag-on-digest-only')?.text).toBe(FIX_TEXT['tag-on-digest-only']);
  });

  it('blocked: names the entry that blocks the source, with its file and line', () => {
    const conf = '[[registry]]\nlocation = "quay.io/org"\nblocked = true\n[[registry.mirror]]\nlocation = "mirror.example.com:5000/org"\n';
    const text = '(Mirrors also failed: [mirror.example.com:5000/org/app:1: reading manifest 1 in mirror.example.com:5000/org/app: manifest unknown]): quay.io/org/app:1: registry quay.io/org is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d';
    const e = explain(parseErrorText(text)[0]!, ctxFor(conf, 'quay.io/org/app:1'));
    const f = e.findings.find((x) => x.kind === 'blocked-by');
    expect(f?.message).toBe('blocked by the [[registry]] entry with prefix "quay.io/org" at /etc/containers/registries.conf:1');
  });

  it('auth: the auth.json entry the runtime would use for that source (the mirror\'s own host)', () => {
    const asked: string[] = [];
    const p = parseErrorText('(Mirrors also failed: [mirror.example.com:5000/org/app:1: reading manifest 1 in mirror.example.com:5000/org/app: unauthorized: authentication required]): quay.io/org/app:1: reading manifest 1 in quay.io/org/app: manifest unknown')[0]!;
    const e = explain(p, ctxFor(IDMS, 'quay.io/org/app:1', { credentialsFor: (repo) => (asked.push(repo), 'anonymous') }));
    expect(asked).toEqual(['mirror.example.com:5000/org/app']);
    expect(e.findings.find((f) => f.kind === 'credentials')?.message).toContain('uses anonymous');
    expect(e.whatToDo.map((f) => [f.subject, f.topic])).toContainEqual(['mirror.example.com:5000/org/app:1', 'auth']);
  });

  it('x509: where the CA file goes (certs.d, and the additionalTrustedCA key with ".." for the port)', () => {
    const p = parseErrorText('pinging container registry mirror.example.com:5000: Get "https://mirror.example.com:5000/v2/": x509: certificate signed by unknown authority')[0]!;
    const e = explain(p, { resolution: null, certDirFor: (h) => `/etc/containers/certs.d/${h}` });
    const f = e.findings.find((x) => x.kind === 'ca-file')!;
    expect(f.message).toContain('/etc/containers/certs.d/mirror.example.com:5000/');
    expect(f.message).toContain('"mirror.example.com..5000"');
    expect(e.whatToDo.map((x) => x.topic)).toEqual(['tls']);
  });

  it('a failure after the source was chosen says there is no failover', () => {
    const p = parseErrorText('FATA[0003] reading blob sha256:0a03: Error fetching blob: invalid status code from registry 404 (Not Found)')[0]!;
    const e = explain(p);
    expect(e.afterChoice?.what).toContain('does not fail over');
    expect(e.whatToDo.map((x) => x.topic)).toEqual(['not-found']);
  });
});

describe('input that is not a pull error', () => {
  it('says what it expected', () => {
    expect(() => parseErrorText('hello world\nnothing here')).toThrow(ExplainInputError);
    expect(() => parseErrorText('hello world')).toThrow(/expected a container runtime pull error: a kubelet\/CRI-O event/);
  });
});
