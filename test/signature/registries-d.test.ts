import { describe, expect, it } from 'vitest';
import { lookasideFor, parseRegistriesD, useSigstoreAttachments } from '../../src/signature/registries-d.ts';

const cfg = (...texts: string[]) => parseRegistriesD(texts.map((text, i) => ({ path: `/d/${i}.yaml`, text })));

// Rules from containers/image docker/registries_d.go (v5.23.1) and docker/policyconfiguration/naming.go.
describe('registries.d', () => {
  it('most specific scope wins; the base is the store plus the repository path', () => {
    const c = cfg(`
default-docker:
  lookaside: file:///default
docker:
  quay.io:
    lookaside: https://sigs.example/quay
  quay.io/org:
    lookaside: https://sigs.example/org
  quay.io/org/app:v1:
    lookaside: file:///exact
`);
    expect(lookasideFor(c, 'quay.io/org/app:v1')).toEqual({ url: 'file:///exact/org/app', scope: 'quay.io/org/app:v1' });
    expect(lookasideFor(c, 'quay.io/org/app:v2')).toEqual({ url: 'https://sigs.example/org/org/app', scope: 'quay.io/org' });
    expect(lookasideFor(c, 'quay.io/other/x:1').url).toBe('https://sigs.example/quay/other/x');
    expect(lookasideFor(c, 'example.com/x:1')).toEqual({ url: 'file:///default/x', scope: 'default-docker' });
  });
  it('"HOST" does not cover HOST:PORT; "*.domain" does (port stripped)', () => {
    const c = cfg(`
docker:
  mirror.local:
    lookaside: file:///plain
  '*.local':
    lookaside: file:///wild
`);
    expect(lookasideFor(c, 'mirror.local:5000/a/b:1', { builtinDefault: 'file:///builtin' }).url).toBe('file:///wild/a/b');
    expect(lookasideFor(c, 'mirror.local/a/b:1').url).toBe('file:///plain/a/b');
    expect(lookasideFor(cfg('docker:\n  mirror.local:\n    lookaside: file:///plain\n'), 'mirror.local:5000/a/b:1', { builtinDefault: 'file:///builtin' })).toEqual({
      url: 'file:///builtin/a/b',
      scope: null,
    });
  });
  it('a store URL without a path gets /<repo>, not //<repo> (Go url.Path is empty)', () => {
    const c = cfg('docker:\n  q.io:\n    lookaside: http://127.0.0.1:8080\n  z.io:\n    lookaside: http://127.0.0.1:8080/\n');
    expect(lookasideFor(c, 'q.io/a/b:1').url).toBe('http://127.0.0.1:8080/a/b');
    expect(lookasideFor(c, 'z.io/a/b:1').url).toBe('http://127.0.0.1:8080//a/b');
  });
  it('legacy sigstore names; staging only for writing; a scope without a store falls through', () => {
    const c = cfg(`
default-docker:
  sigstore: file:///legacy
  sigstore-staging: file:///legacy-staging
docker:
  q.io/a:
    use-sigstore-attachments: true
  q.io:
    lookaside: file:///read
    lookaside-staging: file:///write
`);
    expect(lookasideFor(c, 'q.io/a/b:1').url).toBe('file:///read/a/b');
    expect(lookasideFor(c, 'q.io/a/b:1', { write: true }).url).toBe('file:///write/a/b');
    expect(lookasideFor(c, 'z.io/b:1').url).toBe('file:///legacy/b');
    expect(lookasideFor(c, 'z.io/b:1', { write: true }).url).toBe('file:///legacy-staging/b');
  });
  it('use-sigstore-attachments: first scope that sets it decides, default false', () => {
    const c = cfg(`
default-docker:
  use-sigstore-attachments: true
docker:
  q.io/a:
    use-sigstore-attachments: false
  q.io/a/b:
    lookaside: file:///x
`);
    expect(useSigstoreAttachments(c, 'q.io/a/b:1')).toBe(false);
    expect(useSigstoreAttachments(c, 'q.io/c:1')).toBe(true);
    expect(useSigstoreAttachments(cfg(''), 'q.io/c:1')).toBe(false);
  });
  it('duplicate default-docker or scope across files is an error naming both files', () => {
    expect(() => cfg('default-docker:\n  lookaside: file:///a\n', 'default-docker:\n  lookaside: file:///b\n')).toThrow(
      'Error parsing signature storage configuration: "default-docker" defined both in "/d/0.yaml" and "/d/1.yaml"',
    );
    expect(() => cfg('docker:\n  q.io:\n    lookaside: file:///a\n', 'docker:\n  q.io:\n    lookaside: file:///b\n')).toThrow(
      'Error parsing signature storage configuration: "docker" namespace "q.io" defined both in "/d/0.yaml" and "/d/1.yaml"',
    );
  });
  it('rejects wrong value types with the file named', () => {
    expect(() => cfg('docker:\n  q.io:\n    use-sigstore-attachments: "yes"\n')).toThrow(/\/d\/0.yaml: docker.q.io.use-sigstore-attachments/);
  });
});
