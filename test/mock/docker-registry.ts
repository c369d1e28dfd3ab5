/**
 * Debian's docker-registry (distribution 2.8) on 127.0.0.1 for the conformance test and bench/mock.ts: temp config and root dir, started
 * as a child process and stopped by its pid; images pushed over plain HTTP with POST + PUT uploads
 * (research/prober-peers.md §5.2 B).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { BuiltImage } from '../../src/mock/image-builder.ts';

export const DOCKER_REGISTRY = '/usr/bin/docker-registry';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface DockerRegistry {
  origin: string;
  push(image: BuiltImage): Promise<void>;
  stop(): Promise<void>;
}

/** Start docker-registry; undefined when it is not installed. */
export async function startDockerRegistry(): Promise<DockerRegistry | undefined> {
  if (!existsSync(DOCKER_REGISTRY)) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'pullpath-bench-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log: { level: error, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, cache: { blobdescriptor: inmemory } }`,
      `http: { addr: "127.0.0.1:${port}", secret: pullpath-bench }`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(DOCKER_REGISTRY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const r = await request(`${origin}/v2/`);
      await r.body.dump();
      if (r.statusCode === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`docker-registry did not start: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  async function pushBlob(name: string, digest: string, bytes: Buffer): Promise<void> {
    const post = await request(`${origin}/v2/${name}/blobs/uploads/`, { method: 'POST' });
    await post.body.dump();
    const loc = String(post.headers.location);
    const url = new URL(loc, origin);
    url.searchParams.set('digest', digest);
    const put = await request(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    await put.body.dump();
    if (put.statusCode !== 201) throw new Error(`blob push ${digest}: HTTP ${put.statusCode}`);
  }

  return {
    origin,
    async push(image) {
      for (const b of image.blobs) await pushBlob(image.repository, b.digest, Buffer.concat([...b.chunks(0, b.size)]));
      const children = image.manifests.length > 1 ? image.manifests.slice(1) : [];
      for (const m of [...children, image.top]) {
        const ref = m === image.top ? image.tags[0]! : m.digest;
        const r = await request(`${origin}/v2/${image.repository}/manifests/${ref}`, { method: 'PUT', body: m.bytes, headers: { 'content-type': m.mediaType } });
        await r.body.dump();
        if (r.statusCode !== 201) throw new Error(`manifest push: HTTP ${r.statusCode}`);
      }
    },
    stop,
  };
}
