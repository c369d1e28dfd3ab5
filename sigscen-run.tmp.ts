import { loadScenario } from './src/scenario/load.ts';
import { runScenario } from './src/scenario/run.ts';
for (const f of process.argv.slice(2)) {
  const r = await runScenario(await loadScenario(f));
  console.log(f, r.ok, r.error);
  for (const p of r.pulls) {
    for (const x of p.expectations) console.log(' ', p.key, x.ok ? 'ok ' : 'BAD', x.key, '| exp', x.expected, '| got', x.actual);
    const res = p.events.find((e) => e.type === 'result');
    console.log('  result', JSON.stringify(res).slice(0, 600));
  }
  for (const m of r.mocks) if (m.unmatched.length) console.log('  unmatched', m.host, m.unmatched);
}
