/**
 * The SOCKS5 CONNECT handshake (RFC 1928, username/password RFC 1929) as Go's net/http socks dialer does it:
 * no-auth only, or no-auth and username/password when the proxy URL has a user; the target host is sent as a
 * name (the proxy resolves it) unless it is an IP address. Errors carry Go's wording, wrapped as Go's
 * net.OpError: `socks connect tcp PROXY->TARGET: <reason>`.
 */
import { parseGoIp, isV4 } from './go-ip.ts';
import type { SocketReader } from './socket-reader.ts';

const REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

export class SocksError extends Error {}

export interface SocksAuth {
  username: string;
  password: string;
}

/** Runs the handshake on `reader.socket`; resolves when the tunnel to host:port is open. */
export async function socks5Connect(reader: SocketReader, host: string, port: number, auth: SocksAuth | null): Promise<void> {
  const s = reader.socket;
  s.write(auth ? Buffer.from([5, 2, 0, 2]) : Buffer.from([5, 1, 0]));
  let b = await reader.read(2);
  if (b[0] !== 5) throw new SocksError(`unexpected protocol version ${b[0]}`);
  if (b[1] === 0xff) throw new SocksError('no acceptable authentication methods');
  if (auth) {
    if (b[1] === 2) {
      const u = Buffer.from(auth.username);
      const p = Buffer.from(auth.password);
      if (u.length === 0 || u.length > 255 || p.length === 0 || p.length > 255) throw new SocksError('invalid username/password');
      s.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]));
      b = await reader.read(2);
      if (b[0] !== 1) throw new SocksError('invalid username/password version');
      if (b[1] !== 0) throw new SocksError('username/password authentication failed');
    } else if (b[1] !== 0) {
      throw new SocksError(`unsupported authentication method ${b[1]}`);
    }
  }
  const ip = parseGoIp(host);
  let addr: Buffer;
  if (ip) addr = isV4(ip) ? Buffer.from([1, ...ip.subarray(12)]) : Buffer.from([4, ...ip]);
  else {
    const name = Buffer.from(host);
    if (name.length > 255) throw new SocksError('FQDN too long');
    addr = Buffer.concat([Buffer.from([3, name.length]), name]);
  }
  s.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, Buffer.from([port >> 8, port & 0xff])]));
  b = await reader.read(4);
  if (b[0] !== 5) throw new SocksError(`unexpected protocol version ${b[0]}`);
  if (b[1] !== 0) throw new SocksError(`unknown error ${REPLIES[b[1]!] ?? `unknown code: ${b[1]}`}`);
  if (b[2] !== 0) throw new SocksError('non-zero reserved field');
  let len: number;
  if (b[3] === 1) len = 4;
  else if (b[3] === 4) len = 16;
  else if (b[3] === 3) len = (await reader.read(1))[0]!;
  else throw new SocksError(`unknown address type ${b[3]}`);
  await reader.read(len + 2);
}
