/**
 * Real Debian `docker-registry` (distribution 2.8.2) on 127.0.0.1 ephemeral ports, for integration tests,
 * plus a tiny image pushed over the registry API (POST then PUT, research prober-peers.md §5.2).
 *
 * @example
 * const reg = await startDockerRegistry();
 * const img = await pushImage(reg.url, 'lib/hello', 'v1');
 * ...; await reg.stop();
 *
 * With CI=true a missing binary is a failure (`dockerRegistrySkipReason()` throws); otherwise tests skip
 * with the reason shown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';

export const DOCKER_REGISTRY_BIN = process.env.PULLPATH_DOCKER_REGISTRY ?? '/usr/bin/docker-registry';

/** Why integration tests cannot run here, or null. Under CI=true a missing binary throws instead. */
export function dockerRegistrySkipReason(): string | null {
  if (existsSync(DOCKER_REGISTRY_BIN)) return null;
  const reason = `${DOCKER_REGISTRY_BIN} not found (apt-get install -y docker-registry)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: integration tests must run under CI`);
  return reason;
}

/** A port that was free a moment ago (bound on 127.0.0.1:0 and released). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A listener that accepts connections and never answers (a "blackholed" mirror). */
export async function startBlackhole(): Promise<{ port: number; addr: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  return {
    port,
    addr: `127.0.0.1:${port}`,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}

/** htpasswd for user `tester`, password `pullpath-test-pw` (bcrypt cost 4: a test fixture, not a secret). */
export const HTPASSWD_USER = 'tester';
export const HTPASSWD_PASSWORD = 'pullpath-test-pw';
const HTPASSWD_LINE = 'tester:$2b$04$gknyJVGMehSrkSQXNj/y7ud5csu5nwKqc03cs.fYgLvSpBh4xAIKa';

export interface RegistryOptions {
  /** Require Basic auth (htpasswd) for everything. */
  htpasswd?: boolean;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { certPem: string; keyPem: string };
}

export interface RunningRegistry {
  port: number;
  /** `127.0.0.1:PORT` */
  addr: string;
  /** `http://127.0.0.1:PORT` or `https://…` */
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
  log(): string;
}

async function waitReady(url: string, proc: ChildProcess, log: () => string, insecureTls: boolean): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    if (proc.exitCode !== null) throw new Error(`docker-registry exited (${proc.exitCode}): ${log()}`);
    try {
      if (insecureTls) {
        // Readiness over TLS: a TCP connect is enough (the cert is checked by the tests themselves).
        const { connect } = await import('node:net');
        const u = new URL(url);
        await new Promise<void>((resolve, reject) => {
          const s = connect(Number(u.port), u.hostname, () => {
            s.destroy();
            resolve();
          });
          s.on('error', reject);
        });
        return;
      }
      const res = await fetch(`${url}/v2/`);
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry at ${url} did not become ready in 10 s: ${log()}`);
}

/** Starts one docker-registry bound to 127.0.0.1 on a free port, with its own temp root. */
export async function startDockerRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'pp-registry-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log: { level: error, accesslog: { disabled: true } }',
    `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: pullpath-test-secret',
  ];
  if (opts.tls) {
    await writeFile(join(dir, 'cert.pem'), opts.tls.certPem);
    await writeFile(join(dir, 'key.pem'), opts.tls.keyPem);
    lines.push(`  tls: { certificate: ${join(dir, 'cert.pem')}, key: ${join(dir, 'key.pem')} }`);
  }
  if (opts.htpasswd) {
    await writeFile(join(dir, 'htpasswd'), HTPASSWD_LINE + '\n');
    lines.push(`auth: { htpasswd: { realm: basic-realm, path: ${join(dir, 'htpasswd')} } }`);
  }
  await writeFile(join(dir, 'config.yml'), lines.join('\n') + '\n');
  const proc = spawn(DOCKER_REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const scheme = opts.tls ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, proc, () => output, Boolean(opts.tls));
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, addr: `127.0.0.1:${port}`, url, proc, stop, log: () => output };
}

export interface TinyImage {
  config: Buffer;
  layer: Buffer;
  manifest: Buffer;
  digest: string;
  mediaType: string;
}

const sha = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

/** A one-layer OCI image built in memory; `seed` changes its content (and so its digests). */
export function tinyImage(seed = 'hello from tiny image'): TinyImage {
  return imageFromLayer(Buffer.from(seed + '\n'));
}

/** A one-layer OCI image whose layer is `uncompressed`, gzipped (its diff_id is the uncompressed digest). */
export function imageFromLayer(uncompressed: Buffer): TinyImage {
  const layer = gzipSync(uncompressed, { level: 9 });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha(uncompressed)] } }));
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: layer.length }],
    }),
  );
  return { config, layer, manifest, digest: sha(manifest), mediaType };
}

/** Pushes `image` as `name:tag` (monolithic upload: POST then PUT). https registries are pushed to without verification. */
export async function pushImage(baseUrl: string, name: string, tag: string, image: TinyImage = tinyImage(), auth?: { user: string; password: string }): Promise<TinyImage> {
  const factory = createDispatcherFactory();
  const dispatcher = factory.get({ insecure: true });
  const headers: Record<string, string> = auth ? { authorization: 'Basic ' + Buffer.from(`${auth.user}:${auth.password}`).toString('base64') } : {};
  const call = async (method: 'POST' | 'PUT', url: string, body?: Buffer, extra: Record<string, string> = {}) => {
    const res = await request(url, { method, dispatcher, headers: { ...headers, ...extra }, ...(body ? { body } : {}) });
    await res.body.dump();
    return res;
  };
  try {
    for (const blob of [image.layer, image.config]) {
      const post = await call('POST', `${baseUrl}/v2/${name}/blobs/uploads/`);
      if (post.statusCode !== 202) throw new Error(`POST upload for ${name}: ${post.statusCode}`);
      const u = new URL(String(post.headers.location), baseUrl);
      u.searchParams.set('digest', sha(blob));
      const put = await call('PUT', u.toString(), blob, { 'content-type': 'application/octet-stream' });
      if (put.statusCode !== 201) throw new Error(`PUT blob for ${name}: ${put.statusCode}`);
    }
    const m = await call('PUT', `${baseUrl}/v2/${name}/manifests/${tag}`, image.manifest, { 'content-type': image.mediaType });
    if (m.statusCode !== 201) throw new Error(`PUT manifest ${name}:${tag}: ${m.statusCode}`);
    return image;
  } finally {
    await factory.close();
  }
}
