/**
 * `pullpath load merge FILE…`: shard reports (`load --shard I/N -o json`) → the report of the whole run, in
 * the text or JSON one process prints. Reading and checks are in src/load (shard-report.ts, merge-shards.ts);
 * this file is flags and output.
 */
import { outputFlag, parseCommandArgs } from '../args.ts';
import type { RunContext } from '../lifecycle.ts';
import { UsageError } from '../../src/errors.ts';
import { readInput } from '../../src/read-input.ts';
import { parseShardReports, ShardReportError, type ShardReport } from '../../src/load/shard-report.ts';
import { mergeShardReports } from '../../src/load/merge-shards.ts';
import { formatLoadReport } from '../../src/report/load-text.ts';
import { loadRecordJson } from '../../src/report/load-json.ts';

export async function run(argv: string[], _ctx: RunContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: {
      output: { type: 'string' },
      'allow-partial': { type: 'boolean' },
      'min-success-rate': { type: 'string' },
    },
    allowPositionals: true,
  });
  const output = outputFlag(values.output);
  if (positionals.length === 0) throw new UsageError('load merge: give the shard reports to merge (FILE..., or - for standard input), e.g. pullpath load merge shard-*.json');
  let minSuccess: number | null = null;
  if (values['min-success-rate'] !== undefined) {
    minSuccess = Number(values['min-success-rate'].replace(/%$/, ''));
    if (!(minSuccess >= 0 && minSuccess <= 100)) throw new UsageError(`--min-success-rate: expected a percentage 0-100, got "${values['min-success-rate']}"`);
  }
  const reports: ShardReport[] = [];
  for (const file of positionals) {
    let input;
    try {
      input = await readInput(file, 'load merge FILE');
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const e = err as NodeJS.ErrnoException;
      throw new ShardReportError(`${file}: cannot read (${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)})`);
    }
    reports.push(...parseShardReports(input.path, input.text));
  }
  const merged = mergeShardReports(reports, { allowPartial: values['allow-partial'] === true });
  for (const w of merged.warnings) process.stderr.write(`pullpath load merge: warning: ${w}\n`);
  const { summary, shards } = merged;
  process.stderr.write(`pullpath load merge: ${shards.merged.length} of ${shards.count} shard(s) of run ${shards.runId}\n`);
  process.stdout.write(output === 'json' ? loadRecordJson(summary, { shards }) : formatLoadReport(summary) + '\n');
  const belowMin = minSuccess !== null && summary.successRate * 100 < minSuccess;
  return summary.digestMismatches > 0 || belowMin ? 1 : 0;
}
