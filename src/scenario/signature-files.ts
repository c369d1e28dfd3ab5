/**
 * A scenario's signature configuration: its policy.json and registries.d texts. The mocks generate their
 * sigstore key pair per run, so the policy names the key by placeholder — `{{sigstore-pub}}` (the path of
 * DIR/sigstore.pub, for keyPath) and `{{sigstore-pub-data}}` (the PEM, base64, for keyData) — filled in once
 * the mocks listen. GPG (`signatures = "gpg"`) likewise: `{{gpg-pub}}` (DIR/gpg.pub, armored, for a signedBy
 * keyPath) and `{{gpg-pub-data}}` (that key, base64, for keyData). Checked before any mock starts (with
 * stand-in values), so a bad policy exits 2 up front.
 */
import { ConfigError } from '../errors.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy } from '../policy/types.ts';
import { parseRegistriesD, RegistriesDError, type RegistriesDConfig } from '../signature/registries-d.ts';
import { specSigns, specSignsGpg } from '../mock/start.ts';
import { SCENARIO_CODE } from './table-reader.ts';
import type { Scenario } from './types.ts';

const PLACEHOLDER = /\{\{\s*((?:sigstore|gpg)-pub(?:-data)?)\s*\}\}/g;

/** The generated key, as the placeholders need it (null when no mock signs). */
export interface SigstoreKeyFiles {
  path: string;
  pem: string;
}

/** The generated OpenPGP public key (armored) and where it was written (null when no mock signs with gpg). */
export interface GpgKeyFiles {
  path: string;
  armored: string;
}

/**
 * Fills `{{sigstore-pub}}` / `{{sigstore-pub-data}}` / `{{gpg-pub}}` / `{{gpg-pub-data}}`. The values are
 * inserted inside JSON strings, so they are JSON-escaped (a temporary folder path with a quote or backslash
 * must not break the document).
 */
export function fillSigstorePlaceholders(
  text: string,
  key: SigstoreKeyFiles | null,
  file: string,
  gpg: GpgKeyFiles | null = null,
  at = 'config.policy-json',
): string {
  return text.replace(PLACEHOLDER, (_all, which: string) => {
    const isGpg = which.startsWith('gpg');
    const k = isGpg ? (gpg === null ? null : { path: gpg.path, text: gpg.armored }) : key === null ? null : { path: key.path, text: key.pem };
    if (k === null) {
      const kind = isGpg ? 'gpg' : 'sigstore';
      throw new ConfigError(`${file}: ${at}: {{${which}}} names the mocks' ${kind} key, but no [[registry]] or image has signatures = "${kind}"`, {
        file,
        code: SCENARIO_CODE,
      });
    }
    const value = which.endsWith('-data') ? Buffer.from(k.text).toString('base64') : k.path;
    return JSON.stringify(value).slice(1, -1);
  });
}

/** The policy with the key filled in, parsed as the runtime parses policy.json (null when the scenario has none). */
export function scenarioPolicy(scenario: Scenario, key: SigstoreKeyFiles | null, gpg: GpgKeyFiles | null = null): { text: string; policy: Policy } | null {
  const raw = scenario.config?.policyJson ?? null;
  if (raw === null) return null;
  const text = fillSigstorePlaceholders(raw, key, scenario.file, gpg);
  try {
    return { text, policy: parsePolicy(text, `${scenario.file}#config.policy-json`) };
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${scenario.file}: config.policy-json: ${err.message}`, { file: scenario.file, code: SCENARIO_CODE });
    throw err;
  }
}

/** The registries.d files merged as the runtime merges a directory (sorted by name, as a directory lists them). */
export function scenarioRegistriesD(scenario: Scenario, rendered: { name: string; text: string; path: string }[] = []): RegistriesDConfig {
  const given = (scenario.config?.registriesD ?? []).map((f) => ({ ...f, path: `${scenario.file}#config.registries-d(${f.name})` }));
  const files = [...given, ...rendered]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => ({ path: f.path, text: f.text }));
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
  const signsGpg = scenario.mocks.some((m) => specSignsGpg(m.spec));
  scenarioPolicy(scenario, signs ? { path: '/dev/null/sigstore.pub', pem: '' } : null, signsGpg ? { path: '/dev/null/gpg.pub', armored: '' } : null);
  scenarioRegistriesD(scenario);
}
