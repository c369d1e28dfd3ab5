/**
 * Declarative scenarios: TOML → Scenario (parse/load), → PreparedScenario (config loaded, pulls resolved),
 * → a run against mock registries through the real engine (run), checked by `checkExpectations`.
 *
 * @example
 *   const report = await runScenario(await loadScenario('scenarios/demo.toml'));
 *   report.ok; // every expectation met
 *   report.pulls[0].expectations; // [{ key: 'outcome', ok: true, expected: 'ok', actual: 'ok' }, …]
 */
export { parseScenario, ERROR_CLASSES, DEFAULT_TIMEOUT_MS } from './parse.ts';
export { loadScenario } from './load.ts';
export { prepareScenario, SCENARIO_CONFIG_DIR } from './prepare.ts';
export type { PreparedScenario } from './prepare.ts';
export { checkExpectations } from './check.ts';
export { startScenario, runScenario } from './run.ts';
export type { RunScenarioOptions, ScenarioRun } from './run.ts';
export { startEnvironment, hostMapEntries, splitHostPort } from './environment.ts';
export type { ScenarioEnvironment, EnvironmentOptions } from './environment.ts';
export { startStandaloneMocks } from './standalone.ts';
export type { StandaloneMocks, StandaloneRegistry, StandaloneOptions } from './standalone.ts';
export { expandTemplates, expandString } from './templates.ts';
export type * from './types.ts';
