/**
 * One pass of the pull engine in this process, as `pullpath pull --images` runs it (resolve, pull, the text report
 * into a counter): shared by bench/batch.ts (the in-process figure beside the CLI process) and bench/batch-engine.ts
 * (the same pass alone, for profiling).
 */
import type { CompiledConfig } from '../src/resolve/compile.ts';
import { resolveArg } from '../src/resolve/index.ts';
import { createRegistryClient } from '../src/registry/client.ts';
import { createDispatcherFactory } from '../src/registry/dispatcher-factory.ts';
import { pullImages, imageLabels } from '../src/pull/pull-images.ts';
import { createPullTextWriter } from '../src/report/pull-text.ts';

export async function enginePass(compiled: CompiledConfig, refs: readonly string[], jobs: number): Promise<{ cpuMs: number; wallMs: number; ok: number; reportBytes: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const resolutions = refs.map((r) => resolveArg(compiled, r));
  const dispatchers = createDispatcherFactory();
  const client = createRegistryClient({ dispatchers });
  let reportBytes = 0;
  const writer = createPullTextWriter((s) => void (reportBytes += s.length), imageLabels(resolutions));
  for await (const e of pullImages(resolutions, { client, jobs, attemptTimeoutMs: 30_000 })) writer.push(e);
  const ok = writer.end().filter((r) => r.ok).length;
  await dispatchers.close();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, ok, reportBytes };
}
