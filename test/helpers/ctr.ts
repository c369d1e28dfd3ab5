/**
 * The containerd oracle's tools: a containerd 1.6.20 daemon in a temp root (its own socket, no CRI, content
 * store and the native snapshotter only), `ctr images pull --hosts-dir`, and a tiny image whose layer is a
 * real tar (ctr unpacks after fetching, and a layer that is not a tar fails the unpack).
 *
 * In containerd 1.6 the remote resolver runs inside `ctr` itself (the daemon only stores content), so every
 * registry request of the oracle is ctr's, made with containerd's own resolver code.
 *
 * With CI=true a missing binary is a failure (the lead's .ci/run installs `containerd`); otherwise tests skip.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageFromLayer, type TinyImage } from './docker-registry.ts';

export const CONTAINERD_BIN = process.env.PULLPATH_CONTAINERD ?? '/usr/bin/containerd';
export const CTR_BIN = process.env.PULLPATH_CTR ?? '/usr/bin/ctr';

/** Why the ctr oracle cannot run here, or null. Under CI=true a missing binary or a non-root user throws. */
export function ctrSkipReason(): string | null {
  let reason: string | null = null;
  if (!existsSync(CONTAINERD_BIN) || !existsSync(CTR_BIN)) reason = `${CONTAINERD_BIN} or ${CTR_BIN} not found (apt-get install -y containerd)`;
  else if (process.getuid?.() !== 0) reason = 'containerd needs root to run its daemon (even with a temp root and the native snapshotter)';
  if (reason && process.env.CI === 'true') throw new Error(`CI=true but ${reason}: the ctr oracle must run under CI`);
  return reason;
}

export interface ContainerdDaemon {
  socket: string;
  root: string;
  stop(): Promise<void>;
  log(): string;
}

/** Starts `containerd --config X` with root, state and sockets under a fresh temp dir. */
export async function startContainerd(): Promise<ContainerdDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'pp-containerd-'));
  const socket = join(dir, 'containerd.sock');
  const config = [
    'version = 2',
    `root = "${join(dir, 'root')}"`,
    `state = "${join(dir, 'state')}"`,
    // No CRI (it would read /etc/containerd), no snapshotters that need kernel features, no tracing.
    'disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.overlayfs", "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]',
    '[grpc]',
    `  address = "${socket}"`,
    '[ttrpc]',
    `  address = "${join(dir, 'containerd-ttrpc.sock')}"`,
    '[debug]',
    '  address = ""',
    '[metrics]',
    '  address = ""',
    '[plugins."io.containerd.service.v1.diff-service"]',
    '  default = ["walking"]',
  ].join('\n');
  await writeFile(join(dir, 'config.toml'), config + '\n');
  const proc: ChildProcess = spawn(CONTAINERD_BIN, ['--config', join(dir, 'config.toml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  while (!output.includes('containerd successfully booted')) {
    if (proc.exitCode !== null || Date.now() - started > 20_000) {
      await stop();
      throw new Error(`containerd did not start: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { socket, root: dir, stop, log: () => output };
}

export interface CtrRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The `ctr: …` line, without the prefix, or null. */
  error: string | null;
}

/**
 * `ctr images pull --hosts-dir DIR REF` (the native snapshotter: nothing needs a kernel mount feature). Content is
 * per namespace: a fresh `namespace` per run makes ctr fetch everything again instead of finding it stored.
 */
export function ctrPull(daemon: ContainerdDaemon, hostsDir: string, ref: string, namespace: string, extra: string[] = []): Promise<CtrRun> {
  return new Promise((resolve) => {
    execFile(
      CTR_BIN,
      ['--address', daemon.socket, '--namespace', namespace, 'images', 'pull', '--snapshotter', 'native', '--hosts-dir', hostsDir, ...extra, ref],
      { timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() } },
      (err, stdout, stderr) => {
        const line = stderr.split('\n').find((l) => l.startsWith('ctr: '));
        resolve({ exitCode: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, error: line ? line.slice('ctr: '.length) : null });
      },
    );
  });
}


/** A POSIX tar holding one small file (512-byte header, data padded to 512, two zero blocks). */
export function tarOneFile(name: string, content: Buffer): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148); // checksum field counts as spaces while summing
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([h, content, pad, Buffer.alloc(1024)]);
}

/** A one-layer OCI image that ctr can unpack (its layer is a real tar); `seed` changes its digests. */
export function unpackableImage(seed = 'hello from the ctr oracle'): TinyImage {
  return imageFromLayer(tarOneFile('hello.txt', Buffer.from(seed + '\n')));
}
