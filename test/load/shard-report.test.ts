import { describe, expect, it } from 'vitest';
import { parseShardReports } from '../../src/load/shard-report.ts';
import { mergeShardReports } from '../../src/load/merge-shards.ts';
import { LoadRecorder } from '../../src/load/load-recorder.ts';
import { loadRecordJson } from '../../src/report/load-json.ts';

function report(index: number, count: number, mutate: (r: Record<string, any>) => void = () => {}): string {
  const rec = new LoadRecorder({ mode: 'open' });
  rec.started();
  rec.finished({ intendedMs: 0, startMs: 0, endMs: 12.345, attempts: [], result: null });
  const obj = JSON.parse(loadRecordJson(rec.summary(20), { shard: { index, count, runId: 'r1', images: [0] }, recorder: rec.toState(20) }));
  mutate(obj);
  return JSON.stringify(obj);
}

describe('shard reports', () => {
  it('a field that is not what it should be is named with its file, line and path', () => {
    expect(() => parseShardReports('a.json', `x\n${report(0, 2, (r) => delete r.recorder.serviceTime)}\n`)).toThrow(
      'a.json:2: recorder.serviceTime: expected an encoded histogram {"hdr": base64, "maxUs": number}, got nothing',
    );
    expect(() => parseShardReports('b.json', report(0, 2, (r) => (r.shard.index = 2)))).toThrow('b.json: shard.index: expected 0 to 1 (0-based), got 2');
    expect(() => parseShardReports('c.json', report(0, 2, (r) => (r.recorder.latency.hdr = 'bm90IGhkcg==')))).not.toThrow();
    const corrupt = parseShardReports('c.json', report(0, 2, (r) => (r.recorder.latency.hdr = 'bm90IGhkcg==')));
    expect(() => mergeShardReports(corrupt, { allowPartial: true })).toThrow(/^c\.json: recorder\.latency: not an HdrHistogram compressed base64 encoding/);
    expect(() => parseShardReports('d.json', '\n')).toThrow('d.json: empty file; expected the JSON line that `pullpath load --shard I/N -o json` prints');
  });

  it('merged reports are not merged again, and shard counts must agree', () => {
    expect(() => parseShardReports('m.json', report(0, 1, (r) => (r.shards = { count: 1 })))).toThrow('m.json: this is a merged report, not a shard report');
    const two = [...parseShardReports('a.json', report(0, 2)), ...parseShardReports('b.json', report(1, 3))];
    expect(() => mergeShardReports(two)).toThrow('a.json is shard 0/2 but b.json is 1/3: the shard counts differ');
  });

  it('keeps the exact largest sample through the encoding', () => {
    const [r] = parseShardReports('a.json', report(0, 1));
    expect(mergeShardReports([r!]).summary.latency.maxMs).toBe(12.345);
  });
});
