/**
 * Child process for bench/load.ts: one mock registry whose manifests answer after `SLOW_MS`, in its own
 * process so the memory figure is the load generator's alone and the 10,000 server sockets do not share
 * the generator's file-descriptor limit. Prints its port on stdout; stops when stdin closes.
 */
import { startMockRegistry } from '../src/mock/start.ts';

const slowMs = Number(process.env.SLOW_MS ?? 3000);
const reg = await startMockRegistry({
  host: 'slow.example.com',
  images: [{ repository: 'acme/app', tags: ['1.4'] }],
  faults: [{ kind: 'latency', ms: slowMs, route: 'manifest' }],
});
process.stdout.write(`${reg.port}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void reg.close().then(() => process.exit(0));
});
