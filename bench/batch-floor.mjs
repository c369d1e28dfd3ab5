/**
 * Child process of bench/batch.ts: the cold-process floors, the same requests as `pullpath pull --images` makes
 * per image, without pullpath. Plain JavaScript, run by `node` itself (no tsx), so the process starts as lean as
 * Node can and its user+sys CPU (read by /usr/bin/time in bench/batch.ts) is the floor's alone.
 *
 *   node bench/batch-floor.mjs undici DEAD MIRROR N JOBS
 *     undici.request, the requests of the runtime's sequence: https then http to the refused mirror, https then
 *     http ping of the serving one, the manifest GET. One TLS SecureContext for every connection, as pullpath's
 *     dispatcher has (undici alone would build one per TLS connection: about 0.4 ms per image more here).
 *   node bench/batch-floor.mjs net DEAD MIRROR N JOBS
 *     no HTTP library at all: node:net dials (two refused), TCP then TLS to the serving mirror (the handshake
 *     fails on its plain-http port, as in the runtime's sequence), and the two GETs written by hand over one
 *     keep-alive connection per worker. What Node's own net and TLS layers cost for the same dials: nothing
 *     written in Node can do the sequence for less.
 * Prints `K of N images pulled` (the text pullpath prints), then exits. FLOOR_ROUNDS=R runs R passes (see below).
 */
import net from 'node:net';
import tls from 'node:tls';
import { Agent, request } from 'undici';

const [mode, dead, mirror, nArg, jobsArg] = process.argv.slice(2);
const N = Number(nArg ?? 1000);
const JOBS = Number(jobsArg ?? 32);
if ((mode !== 'undici' && mode !== 'net') || !dead || !mirror) {
  process.stderr.write('usage: node bench/batch-floor.mjs undici|net DEAD_HOST:PORT MIRROR_HOST:PORT [N] [JOBS]\n');
  process.exit(2);
}
// MANIFEST_ACCEPT of src/registry/manifest.ts (this file runs without tsx, so it cannot import it).
const ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
];
const headers = { 'user-agent': 'pullpath/0.1.0', 'docker-distribution-api-version': 'registry/2.0' };
const secureContext = tls.createSecureContext({});

function undiciFloor() {
  const agent = new Agent({ connect: { rejectUnauthorized: false, secureContext } });
  const manifestHeaders = { ...headers, accept: ACCEPT };
  const get = async (url, h) => {
    try {
      const r = await request(url, { dispatcher: agent, headers: h });
      await r.body.arrayBuffer();
      return r.statusCode;
    } catch {
      return 0;
    }
  };
  return {
    async image(i) {
      if ((await get(`https://${dead}/v2/`, headers)) !== 0) return false;
      if ((await get(`http://${dead}/v2/`, headers)) !== 0) return false;
      await get(`https://${mirror}/v2/`, headers);
      if ((await get(`http://${mirror}/v2/`, headers)) !== 200) return false;
      return (await get(`http://${mirror}/v2/bench/img${i}/manifests/v1`, manifestHeaders)) === 200;
    },
    close: () => agent.close(),
  };
}

function netFloor() {
  const split = (hp) => [hp.slice(0, hp.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1'), Number(hp.slice(hp.lastIndexOf(':') + 1))];
  const [dh, dp] = split(dead);
  const [mh, mp] = split(mirror);
  const dial = (host, port) =>
    new Promise((resolve) => {
      const s = net.connect(port, host);
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(null));
    });
  const tlsOver = (socket) =>
    new Promise((resolve) => {
      const t = tls.connect({ socket, secureContext, rejectUnauthorized: false });
      t.once('error', () => (t.destroy(), resolve(false)));
      t.once('secureConnect', () => (t.destroy(), resolve(true)));
    });
  const idle = [];
  const get = async (path, accept) => {
    const s = idle.pop() ?? (await dial(mh, mp));
    if (!s) return 0;
    return new Promise((resolve) => {
      let buf = '';
      const onData = (d) => {
        buf += d;
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/\r\ncontent-length: *(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length - end - 4 < len) return;
        s.off('data', onData);
        idle.push(s);
        resolve(Number(buf.slice(9, 12)));
      };
      s.setEncoding('latin1');
      s.on('data', onData);
      s.write(`GET ${path} HTTP/1.1\r\nhost: ${mirror}\r\nuser-agent: ${headers['user-agent']}\r\ndocker-distribution-api-version: registry/2.0\r\n${accept ? `accept: ${accept}\r\n` : ''}\r\n`);
    });
  };
  const acceptLine = ACCEPT.join(', ');
  return {
    async image(i) {
      if (await dial(dh, dp)) return false; // https: refused
      if (await dial(dh, dp)) return false; // http: refused
      const s = await dial(mh, mp);
      if (s) await tlsOver(s); // https ping: TCP, then a TLS handshake that fails on the plain-http port
      if ((await get('/v2/', null)) !== 200) return false;
      return (await get(`/v2/bench/img${i}/manifests/v1`, acceptLine)) === 200;
    },
    close: async () => {
      for (const s of idle) s.destroy();
    },
  };
}

// FLOOR_ROUNDS=R (by hand): R passes in this one process, the CPU per image of each on stderr: how the floor itself
// warms up (compare bench/batch-engine.ts, the engine's passes).
const ROUNDS = Math.max(1, Number(process.env.FLOOR_ROUNDS ?? 1));
const floor = mode === 'undici' ? undiciFloor() : netFloor();
let ok = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const cpu0 = process.cpuUsage();
  ok = 0;
  let next = 0;
  const worker = async () => {
    while (next < N) if (await floor.image(next++)) ok++;
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  const cpu = process.cpuUsage(cpu0);
  if (ROUNDS > 1) process.stderr.write(`${mode} round ${round}: ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} ms CPU per image\n`);
}
await floor.close();
process.stdout.write(`${ok} of ${N} images pulled\n`);
