/**
 * Start time of a mock registry with N images unsigned, sigstore-signed and GPG-signed (every GPG fault variant
 * is signed at start: see src/mock/gpg-sign.ts). `npx tsx bench/mock-gpg-start.ts [N=2000]`.
 */
import { startMockRegistries } from '../src/mock/start.ts';
const n = Number(process.argv[2] ?? 2000);
for (const sig of ['none', 'sigstore', 'gpg'] as const) {
  const t = performance.now();
  const set = await startMockRegistries([{ host: 'm.example.com', signatures: sig, images: Array.from({ length: n }, (_, i) => ({ repository: `a/img${i}`, tags: ['1'] })) }]);
  console.log(sig, n, 'images: start', Math.round(performance.now() - t), 'ms');
  await set.close();
}
