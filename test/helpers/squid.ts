/**
 * Debian's squid on a loopback port, for proxy integration tests. Its `hosts_file` maps the test registry
 * names (`registry.test`, …) to 127.0.0.1: Go never sends loopback through a proxy, so tests use names that
 * only the proxy can resolve, exactly as a node behind a corporate proxy reaches a registry its own DNS does
 * not know. With `auth`, squid asks for Basic proxy credentials (basic_ncsa_auth on an htpasswd file).
 *
 * Missing squid: tests skip with the reason; under CI=true they fail instead (CI must install `squid`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './docker-registry.ts';

export const SQUID_BIN = process.env.PULLPATH_SQUID ?? '/usr/sbin/squid';
export const NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';

/** Proxy credentials the authenticating squid accepts (a test fixture; every output is grepped for the password). */
export const PROXY_USER = 'proxyuser';
export const PROXY_PASSWORD = 'squid-secret-7f3a';
// bcrypt of PROXY_PASSWORD (cost 4): libxcrypt's crypt(), which basic_ncsa_auth calls, reads it.
const PROXY_HTPASSWD = `${PROXY_USER}:$2b$04$98Gh.u7hoK/h5tNQkJpsfuo/ikYsKf5h855zaqiX0LaZPO1knvYZe`;

export function squidSkipReason(): string | null {
  if (existsSync(SQUID_BIN) && existsSync(NCSA_AUTH)) return null;
  const reason = `${SQUID_BIN} not found (apt-get install -y squid)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: proxy integration tests must run under CI`);
  return reason;
}

export interface SquidOptions {
  /** Names squid resolves to 127.0.0.1 (its hosts_file). */
  hosts: string[];
  /** Require Basic proxy authentication. */
  auth?: boolean;
}

export interface RunningSquid {
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** With auth: `http://USER:PASSWORD@127.0.0.1:PORT`. */
  urlWithCredentials: string;
  /** squid's access log (one line per request or CONNECT it handled). */
  accessLog(): Promise<string>;
  stop(): Promise<void>;
}

async function waitListening(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    if (proc.exitCode !== null) throw new Error(`squid exited (${proc.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`squid did not listen on ${port} in 20 s: ${log()}`);
}

export async function startSquid(opts: SquidOptions): Promise<RunningSquid> {
  const dir = await mkdtemp(join(tmpdir(), 'pp-squid-'));
  await chmod(dir, 0o777); // run as root, squid drops to its own user and still writes its logs here
  const port = await freePort();
  await writeFile(join(dir, 'hosts'), opts.hosts.map((h) => `127.0.0.1 ${h}`).join('\n') + '\n', { mode: 0o644 });
  const lines = [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${join(dir, 'squid.pid')}`,
    `access_log stdio:${join(dir, 'access.log')}`,
    `cache_log ${join(dir, 'cache.log')}`,
    'cache_store_log none',
    'cache deny all',
    `coredump_dir ${dir}`,
    `hosts_file ${join(dir, 'hosts')}`,
    // Names missing from hosts_file must fail fast instead of reaching a real DNS server.
    'dns_nameservers 127.0.0.1',
    'dns_timeout 2 seconds',
    'shutdown_lifetime 0 seconds',
    'forwarded_for delete',
    'via off',
    // Loopback is squid's default `to_localhost` block: these tests route to 127.0.0.1 on purpose.
    'acl CONNECT method CONNECT',
  ];
  if (opts.auth) {
    await writeFile(join(dir, 'htpasswd'), PROXY_HTPASSWD + '\n', { mode: 0o644 });
    lines.push(`auth_param basic program ${NCSA_AUTH} ${join(dir, 'htpasswd')}`, 'auth_param basic realm pullpath-test-proxy', 'acl authed proxy_auth REQUIRED', 'http_access allow authed', 'http_access deny all');
  } else {
    lines.push('http_access allow all');
  }
  await writeFile(join(dir, 'squid.conf'), lines.join('\n') + '\n', { mode: 0o644 });
  const proc = spawn(SQUID_BIN, ['-N', '-f', join(dir, 'squid.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const cacheLog = async () => output + (await readFile(join(dir, 'cache.log'), 'utf8').catch(() => ''));
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
    await waitListening(port, proc, () => output);
  } catch (err) {
    const log = await cacheLog();
    await stop();
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    urlWithCredentials: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${port}`,
    accessLog: () => readFile(join(dir, 'access.log'), 'utf8').catch(() => ''),
    stop,
  };
}
