/** A small undici client for the mock's tests: loopback only, bodies always consumed. */
import { Agent, request } from 'undici';

export const ACCEPT_ALL = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function header(r: Reply, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createClient(opts: { ca?: string; maxHeaderSize?: number } = {}) {
  const agent = new Agent({ connect: opts.ca !== undefined ? { ca: opts.ca } : {}, keepAliveTimeout: 1000, ...(opts.maxHeaderSize ? { maxHeaderSize: opts.maxHeaderSize } : {}) });
  return {
    async fetch(url: string, init: { method?: 'GET' | 'HEAD'; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Reply> {
      const r = await request(url, {
        dispatcher: agent,
        method: init.method ?? 'GET',
        headers: init.headers ?? {},
        ...(init.signal ? { signal: init.signal } : {}),
        reset: false,
      });
      const body = Buffer.from(await r.body.arrayBuffer());
      return { status: r.statusCode, headers: r.headers, body };
    },
    close: () => agent.close(),
    destroy: () => agent.destroy(),
  };
}

export function basic(user: string, pass: string): string {
  return 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
}
