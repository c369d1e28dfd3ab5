/**
 * The Containerfile, read as text (no container engine runs here): it installs what `npm pack` built (the
 * README's install step, exercised for real by test/repository/package.test.ts), runs as the non-root UID
 * and port the DaemonSet expects, and keeps node_modules and dist out of the build context.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '../..');
const text = readFileSync(join(ROOT, 'Containerfile'), 'utf8');
const instructions = text.split('\n').filter((l) => /^[A-Z]+\s/.test(l));
const finalStage = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));
const ds = parse(readFileSync(join(ROOT, 'deploy/kubernetes/base/daemonset-probe.yaml'), 'utf8')) as {
  spec: { template: { spec: { securityContext: { runAsUser: number }; containers: { ports: { containerPort: number }[] }[] } } };
};

describe('Containerfile', () => {
  it('builds the tarball with npm pack (prepack bundles dist/) and installs only it, without dev dependencies', () => {
    expect(text).toMatch(/RUN npm ci\b/);
    expect(text).toMatch(/RUN npm pack\b/);
    expect(finalStage.join('\n')).toMatch(/npm install -g --omit=dev [^\n]*pullpath\.tgz/);
    expect(finalStage.some((l) => /^COPY --from=build \/tmp\/pullpath\.tgz /.test(l))).toBe(true);
    expect(finalStage.filter((l) => l.startsWith('COPY ')).length).toBe(1); // no sources in the final image
  });

  it('runs pullpath as the non-root UID the DaemonSet runs, and exposes its metrics port', () => {
    const user = finalStage.find((l) => l.startsWith('USER '))!;
    const uid = Number(/^USER (\d+)/.exec(user)?.[1]);
    expect(uid).toBeGreaterThan(0);
    expect(uid).toBe(ds.spec.template.spec.securityContext.runAsUser);
    expect(finalStage).toContain(`EXPOSE ${ds.spec.template.spec.containers[0]!.ports[0]!.containerPort}`);
    expect(finalStage).toContain('ENTRYPOINT ["pullpath"]');
  });

  it('keeps node_modules and dist out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.containerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist']));
  });
});
