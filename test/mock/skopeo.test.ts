/**
 * A real containers/image client against the mock: skopeo trusts the generated CA through the certs.d
 * folder, does the Bearer token dance and copies every blob, checking each digest itself.
 * Skipped when skopeo is not installed.
 */
import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRegistry } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';

const run = promisify(execFile);
const SKOPEO = '/usr/bin/skopeo';

describe.skipIf(!existsSync(SKOPEO))('skopeo against the mock', () => {
  it('copies a multi-platform image over TLS with token auth, trusting the certs.d CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullpath-skopeo-'));
    const image = { repository: 'org/app', tags: ['1.4'], platforms: ['linux/amd64', 'linux/arm64'], layers: [1000, 300_000] };
    const reg = await startMockRegistry(
      { host: 'mirror.example.com', images: [image], tls: true, auth: { type: 'bearer', users: [{ username: 'ci', password: 's3cret' }] } },
      { certDir: join(dir, 'certs.d') },
    );
    try {
      const ref = `docker://${reg.address}/org/app:1.4`;
      const certDir = ['--cert-dir', join(dir, 'certs.d', reg.address)];
      const inspect = await run(SKOPEO, ['inspect', '--raw', ...certDir, '--creds', 'ci:s3cret', ref]);
      expect(JSON.parse(inspect.stdout).mediaType).toBe('application/vnd.oci.image.index.v1+json');
      await run(SKOPEO, ['copy', '--all', '--src-cert-dir', certDir[1]!, '--src-creds', 'ci:s3cret', ref, `dir:${join(dir, 'out')}`]);
      const manifest = await readFile(join(dir, 'out', 'manifest.json'));
      expect('sha256:' + (await import('node:crypto')).createHash('sha256').update(manifest).digest('hex')).toBe(mockImageDigest(image));
      // Without the CA, verification fails as it would against an unknown registry.
      await expect(run(SKOPEO, ['inspect', '--raw', '--creds', 'ci:s3cret', ref])).rejects.toThrow(/certificate/);
    } finally {
      await reg.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
