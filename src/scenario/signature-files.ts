/**
 * A scenario's signature configuration: its policy.json and registries.d texts. The mocks generate their
 * sigstore key pair per run, so the policy names the key by placeholder — `{{sigstore-pub}}` (the path of
 * DIR/sigstore.pub, for keyPath) and `{{sigstore-pub-data}}` (the PEM, base64, for keyData) — filled in once
 * the mocks listen. Checked before any mock starts (with stand-in values), so a bad policy exits 2 up front.
 */
import { ConfigError } from '../errors.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy } from '../policy/types.ts';
import { parseRegistriesD, RegistriesDError, type RegistriesDConfig } from '../signature/registries-d.ts';
import { specSigns } from '../mock/start.ts';
import { SCENARIO_CODE } from './table-reader.ts';
import type { Scenario } from './types.ts';

const PLACEHOLDER = /\{\{\s*(sigstore-pub(?:-data)?)\s*\}\}/g;

/** The generated key, as the placeholders need it (null when no mock signs). */
export interface SigstoreKeyFiles {
  path: string;
  pem: string;
}

/**
 * Fills `{{sigstore-pub}}` / `{{sigstore-pub-data}}`. The values are inserted inside JSON strings, so they are
 * JSON-escaped (a temporary folder path with a quote or backslash must not break the document).
 */
export function fillSigstorePlaceholders(text: string, key: SigstoreKeyFiles | null, file: string): string {
  return text.replace(PLACEHOLDER, (_all, which: string) => {
    if (key === null) {
      throw new ConfigError(`${file}: config.policy-json: {{${which}}} names the mocks' sigstore key, but no [[registry]] or image has signatures = "sigstore"`, {
        file,
        code: SCENARIO_CODE,
      });
    }
    const value = which === 'sigstore-pub' ? key.path : Buffer.from(key.pem).toString('base64');
    return JSON.stringify(value).slice(1, -1);
  });
}

/** The policy with the key filled in, parsed as the runtime parses policy.json (null when the scenario has none). */
export function scenarioPolicy(scenario: Scenario, key: SigstoreKeyFiles | null): { text: string; policy: Policy } | null {
  const raw = scenario.config?.policyJson ?? null;
  if (raw === null) return null;
  const text = fillSigstorePlaceholders(raw, key, scenario.file);
  try {
    return { text, policy: parsePolicy(text, `${scenario.file}#config.policy-json`) };
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${scenario.file}: config.policy-json: ${err.message}`, { file: scenario.file, code: SCENARIO_CODE });
    throw err;
  }
}

/** The registries.d files merged as the runtime merges a directory (sorted by name, as a directory lists them). */
export function scenarioRegistriesD(scenario: Scenario): RegistriesDConfig {
  const files = [...(scenario.config?.registriesD ?? [])]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => ({ path: `${scenario.file}#config.registries-d(${f.name})`, text: f.text }));
  try {
    return parseRegistriesD(files);
  } catch (err) {
    if (err instanceof RegistriesDError) throw new ConfigError(`${scenario.file}: config.registries-d: ${err.message}`, { file: scenario.file, code: SCENARIO_CODE });
    throw err;
  }
}

/** Checks both before anything starts: stand-in key values make the placeholders parse. */
export function checkScenarioSignatureConfig(scenario: Scenario): void {
  const signs = scenario.mocks.some((m) => specSigns(m.spec));
  scenarioPolicy(scenario, signs ? { path: '/dev/null/sigstore.pub', pem: '' } : null);
  scenarioRegistriesD(scenario);
}
