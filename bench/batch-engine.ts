/**
 * The engine half of bench/batch alone, for profiling (node --cpu-prof): starts bench/batch-mock.ts in its own
 * process, then pulls N images through the same refused-then-serving chain in this process, ROUNDS times, and
 * prints the CPU per image of each round.
 * Run: N=2000 ROUNDS=3 node --import tsx --cpu-prof bench/batch-engine.ts
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import { compileConfig } from '../src/resolve/index.ts';
import { enginePass } from './engine-pass.ts';

const N = Number(process.env.N ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const JOBS = Number(process.env.JOBS ?? 32);

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const mock = spawn(process.execPath, ['--import', 'tsx', new URL('./batch-mock.ts', import.meta.url).pathname], { env: { ...process.env, N: String(N) }, stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: mock.stdout! })[Symbol.asyncIterator]();
const { port } = JSON.parse((await lines.next()).value as string) as { port: number };
const primary = `127.0.0.1:${await closedPort()}`;
const text = `[[registry]]\nlocation = "${primary}"\ninsecure = true\n[[registry.mirror]]\nlocation = "127.0.0.1:${await closedPort()}"\ninsecure = true\n[[registry.mirror]]\nlocation = "127.0.0.1:${port}"\ninsecure = true\n`;
const compiled = compileConfig(loadRegistriesConfFromTexts({ main: { path: 'b.conf', text }, mainPath: 'b.conf', dropins: [] }));
const refs = Array.from({ length: N }, (_, i) => `${primary}/bench/img${i}:v1`);
for (let round = 0; round < ROUNDS; round++) {
  const r = await enginePass(compiled, refs, JOBS);
  console.log(`round ${round + 1}: ${r.ok}/${N} ok, ${(r.cpuMs / N).toFixed(3)} ms CPU per image, ${r.wallMs.toFixed(0)} ms wall, ${r.reportBytes} bytes of report`);
}
mock.stdin!.end();
