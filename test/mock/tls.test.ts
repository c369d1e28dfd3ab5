import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { startMockRegistries, startMockRegistry } from '../../src/mock/start.ts';
import { createClient } from './client.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function httpsGet(url: string, opts: https.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, { ...opts, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('TLS', () => {
  it('serves HTTPS with a generated CA that clients can trust, and writes certs.d folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullpath-certs-'));
    dirs.push(dir);
    const reg = await startMockRegistry({ host: 'mirror.example.com', tls: true }, { certDir: dir });
    try {
      expect(reg.scheme).toBe('https');
      expect(reg.certPaths.sort()).toEqual([join(dir, `127.0.0.1:${reg.port}`, 'ca.crt'), join(dir, 'mirror.example.com', 'ca.crt')].sort());
      const ca = await readFile(join(dir, 'mirror.example.com', 'ca.crt'), 'utf8');
      expect(ca).toBe(reg.caPem);
      expect(new X509Certificate(ca).ca).toBe(true);
      // Trusting the CA, by IP and by the configured name (SNI + name check, connecting to loopback).
      expect(await httpsGet(reg.url, { ca })).toBe(200);
      expect(await httpsGet(`https://mirror.example.com:${reg.port}/v2/`, { ca, lookup: (_h, _o, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) })).toBe(200);
      // Not trusting it fails verification.
      await expect(httpsGet(reg.url, {})).rejects.toThrow(/self.signed|unable to verify|certificate/i);
      const client = createClient({ ca });
      expect((await client.fetch(reg.url)).status).toBe(200);
      await client.close();
    } finally {
      await reg.close();
    }
  });

  it('signs every registry of a set with one CA', async () => {
    const set = await startMockRegistries([
      { host: 'a.example.com', tls: true },
      { host: 'b.example.com:5000', tls: true },
      { host: 'plain.example.com' },
    ]);
    try {
      const client = createClient({ ca: set.caPem! });
      for (const r of set.registries.slice(0, 2)) expect((await client.fetch(r.url)).status).toBe(200);
      expect(set.get('plain.example.com')!.scheme).toBe('http');
      expect(set.hostMap['b.example.com:5000']).toBe(set.get('b.example.com:5000')!.address);
      expect(set.hostMap['b.example.com']).toBe(set.get('b.example.com:5000')!.address);
      await client.close();
    } finally {
      await set.close();
    }
  });

  it('carries out socket faults over TLS too: reset, truncate, blackhole', async () => {
    const reg = await startMockRegistry({
      host: 'tls-faults.example.com',
      tls: true,
      images: [{ repository: 'org/app', layers: [50_000] }],
      faults: [
        { kind: 'reset', route: 'ping' },
        { kind: 'truncate', afterBytes: 10, route: 'manifest' },
        { kind: 'blackhole', route: 'tags' },
      ],
    });
    try {
      const client = createClient({ ca: reg.caPem! });
      await expect(client.fetch(reg.url)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
      await expect(client.fetch(`${reg.origin}/v2/org/app/manifests/latest`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).rejects.toThrow();
      await expect(client.fetch(`${reg.origin}/v2/org/app/tags/list`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
      client.destroy();
      expect(reg.stats().faults.map((f) => f.fired)).toEqual([1, 1, 1]);
    } finally {
      await reg.close();
    }
  });
});
