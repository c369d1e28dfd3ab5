import { loadScenario } from './src/scenario/load.ts';
import { runScenario } from './src/scenario/run.ts';
const r = await runScenario(await loadScenario(process.argv[2]!));
for (const p of r.pulls) { const res: any = p.events.find((e) => e.type === 'result'); console.log(p.ref, JSON.stringify(res.signatures).slice(0, 400)); }
