/**
 * deploy/kubernetes/load/job.yaml runs what it says: an Indexed Job whose --shard count is its completions
 * and parallelism (three places to change N, kept equal here), every pod's index a valid shard, and only
 * flags `pullpath load` knows. (The Kubernetes schema check of every manifest is test/deploy/manifests.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { help } from '../../cli/commands/load.ts';
import { parseShard } from '../../src/load/shard.ts';

const job = parse(readFileSync(join(import.meta.dirname, '../../deploy/kubernetes/load/job.yaml'), 'utf8'));

describe('deploy/kubernetes/load/job.yaml', () => {
  const spec = job.spec;
  const container = spec.template.spec.containers[0];
  const args: string[] = container.args;

  it('is an Indexed Job whose shard count is its completions and parallelism', () => {
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
    expect(spec.completionMode).toBe('Indexed');
    const shard = args.find((a) => a.startsWith('--shard='))!;
    expect(shard).toMatch(/^--shard=\$\(JOB_COMPLETION_INDEX\)\/\d+$/);
    const n = Number(shard.split('/')[1]);
    expect(spec.completions).toBe(n);
    expect(spec.parallelism).toBe(n);
    // Kubernetes expands $(JOB_COMPLETION_INDEX) to 0 … completions-1: each a valid shard.
    for (let i = 0; i < n; i++) expect(parseShard(shard.slice('--shard='.length).replace('$(JOB_COMPLETION_INDEX)', String(i)))).toEqual({ index: i, count: n });
  });

  it('passes only flags pullpath load knows, and writes the mergeable JSON report', () => {
    expect(args[0]).toBe('load');
    for (const a of args.filter((x) => x.startsWith('--'))) expect(help, a).toContain(a.split('=')[0]);
    expect(args).toContain('--output=json');
    const port = args.find((a) => a.startsWith('--metrics-port='))!.split('=')[1];
    expect(container.ports[0].containerPort).toBe(Number(port));
    expect(spec.template.metadata.annotations['prometheus.io/port']).toBe(port);
    expect(spec.template.spec.restartPolicy).toBe('Never');
  });
});
