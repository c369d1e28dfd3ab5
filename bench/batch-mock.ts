/**
 * Child process of bench/batch.ts: the registry that serves, in a process of its own, so its CPU is never
 * counted as pullpath's (nor skopeo's). N images `bench/imgI:v1` on the project's mock registry (plain http,
 * node:http fast path). Prints one JSON line `{ "port": P }`, then serves until stdin closes, then prints the
 * request count.
 * Run by bench/batch.ts; by hand: N=1000 npx tsx bench/batch-mock.ts
 */
import { startMockRegistry } from '../src/mock/start.ts';

const N = Number(process.env.N ?? 1000);
const images = Array.from({ length: N }, (_, i) => ({ repository: `bench/img${i}`, tags: ['v1'], content: `img${i}` }));
const reg = await startMockRegistry({ host: 'mirror.bench.test', images });
process.stdout.write(JSON.stringify({ port: reg.port }) + '\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  process.stdout.write(JSON.stringify({ requests: reg.stats().requests }) + '\n');
  await reg.close();
  process.exit(0);
});
