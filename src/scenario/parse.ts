/**
 * Scenario TOML text → `Scenario` (pure: no file access; files named by path are read by `load.ts`).
 * Errors are `ConfigError`s with code PP_ERR_SCENARIO naming the file, the key path and what was expected.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { ConfigError } from '../errors.ts';
import type { ErrorClass } from '../events/pull-events.ts';
import { SCENARIO_CODE, TableReader, isTable } from './table-reader.ts';
import { expandTemplates } from './templates.ts';
import { parseMockRegistrySpec } from '../mock/spec-parse.ts';
import { CONTAINERD_CONFIG_KEYS, readContainerdConfig } from './containerd-config.ts';
import type {
  AttemptExpectation,
  PullExpectation,
  PullSpec,
  Scenario,
  ScenarioConfig,
  ScenarioFileRef,
  ScenarioMock,
} from './types.ts';

/** Every ErrorClass, at run time (the `satisfies` below fails to compile when events.ts gains one). */
export const ERROR_CLASSES = [
  'refused', 'proxy', 'dns', 'tls', 'http-to-https', 'timeout', 'reset', 'unauthorized', 'forbidden', 'not-found',
  'rate-limited', 'server-error', 'digest-mismatch', 'not-a-registry', 'too-large', 'blocked', 'policy',
  'config', 'http-error', 'signature-missing', 'signature-invalid', 'identity-mismatch', 'untrusted-key',
  'cancelled', 'credentials', 'other',
] as const satisfies readonly ErrorClass[];
type MissingClass = Exclude<ErrorClass, (typeof ERROR_CLASSES)[number]>;
const allClassesListed: MissingClass extends never ? true : false = true;
void allClassesListed;

/** Default per-attempt timeout: long enough for a loopback mock, short enough that a blackhole shows quickly. */
export const DEFAULT_TIMEOUT_MS = 3000;

const TOP_KEYS = ['name', 'story', 'config', 'auth-json', 'registry', 'pull', 'defaults'] as const;
const CONFIG_KEYS = ['registries-conf', 'registries-conf-file', 'dropins', 'cluster-objects', 'cluster-objects-file', 'policy-json', 'registries-d', ...CONTAINERD_CONFIG_KEYS] as const;
const REGISTRIES_D_KEYS = ['name', 'text'] as const;
const DROPIN_KEYS = ['name', 'text', 'file'] as const;
const PULL_KEYS = ['ref', 'namespace', 'at', 'repeat', 'interval', 'timeout-ms', 'expect'] as const;
const EXPECT_KEYS = ['outcome', 'source', 'attempts', 'skipped', 'error-class', 'error-contains', 'digest', 'max-ms', 'signatures'] as const;
const ATTEMPT_KEYS = ['ref', 'outcome', 'error-class', 'error-contains'] as const;

/**
 * Parses a scenario file's text.
 * @param file the scenario's path, used in messages and to resolve relative paths.
 * @example parseScenario(readFileSync('scenarios/demo.toml', 'utf8'), 'scenarios/demo.toml').pulls[0].ref
 */
export function parseScenario(text: string, file: string): Scenario {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      throw new ConfigError(`${file}:${err.line}:${err.column}: not valid TOML: ${err.message.split('\n')[0]}`, {
        file,
        line: err.line,
        code: SCENARIO_CODE,
      });
    }
    throw err;
  }
  const top = new TableReader(file, '', doc);
  const name = top.string('name', { required: true });
  const story = (top.string('story') ?? '').trim();
  const config = readConfig(top);
  const authJson = top.string('auth-json') ?? null;
  if (authJson !== null) checkAuthJson(top, authJson);
  const defaultsT = top.subTable('defaults');
  const timeoutMs = defaultsT?.number('timeout-ms', { min: 1 }) ?? DEFAULT_TIMEOUT_MS;
  defaultsT?.rejectUnknown(['timeout-ms']);
  const mocks = top.tables('registry').map(readMock);
  const hosts = new Set<string>();
  for (const m of mocks) {
    if (hosts.has(m.host)) throw new ConfigError(`${file}: ${m.key}.host: "${m.host}" is declared twice; expected one [[registry]] table per host`, { file, code: SCENARIO_CODE });
    hosts.add(m.host);
  }
  // No [[pull]] table is a mock-only scenario: `pullpath mock` serves it; `scenario run` has nothing to run.
  const pulls = top.tables('pull').map(readPull);
  top.rejectUnknown(TOP_KEYS);
  return expandTemplates({ file, name, story, config, authJson, mocks, pulls, defaults: { timeoutMs } });
}

function readConfig(top: TableReader): ScenarioConfig {
  const t = top.subTable('config', { required: true })!;
  const inline = t.string('registries-conf');
  const path = t.string('registries-conf-file');
  const hasCluster = t.has('cluster-objects') || t.has('cluster-objects-file');
  // A containerd node: hosts.toml files (and its config.toml) instead of registries.conf.
  const containerd = readContainerdConfig(t);
  if (containerd !== null) {
    if (inline !== undefined || path !== undefined || hasCluster || t.has('dropins')) {
      throw t.fail(inline !== undefined ? 'registries-conf' : path !== undefined ? 'registries-conf-file' : hasCluster ? 'cluster-objects' : 'dropins', 'either a containerd node (hosts, containerd-config) or a containers/image one (registries-conf, dropins, cluster-objects), not both');
    }
    const policyJson = t.string('policy-json') ?? null;
    if (policyJson !== null) throw t.fail('policy-json', 'no policy-json for a containerd node (containerd does not read containers-policy.json)');
    t.rejectUnknown(CONFIG_KEYS);
    return { registriesConf: null, dropins: [], clusterObjects: null, policyJson: null, registriesD: [], containerd };
  }
  if (inline !== undefined && path !== undefined) {
    throw t.fail('registries-conf', 'either registries-conf (inline text) or registries-conf-file (a path), not both');
  }
  if (hasCluster && (inline !== undefined || path !== undefined)) {
    throw t.fail('cluster-objects', 'either cluster objects (rendered into registries.conf) or a registries.conf, not both');
  }
  if (inline === undefined && path === undefined && !hasCluster) {
    throw t.fail('registries-conf', 'registries-conf (inline text) or registries-conf-file (a path relative to the scenario), or for a containerd node hosts = { "<host>" = \'\'\'hosts.toml\'\'\' }');
  }
  const registriesConf: ScenarioFileRef | null =
    inline !== undefined
      ? { path: `${t.file}#config.registries-conf`, text: inline, source: 'inline' }
      : path !== undefined
        ? { path, text: null, source: 'file' }
        : null;
  const dropins = t.tables('dropins').map((d): ScenarioFileRef => {
    const dName = d.string('name');
    const dText = d.string('text');
    const dFile = d.string('file');
    d.rejectUnknown(DROPIN_KEYS);
    if ((dText === undefined) === (dFile === undefined)) throw d.fail('text', 'exactly one of text (inline) or file (a path)');
    if (dText !== undefined) {
      if (dName === undefined || !dName.endsWith('.conf')) throw d.fail('name', 'a file name ending in .conf (drop-ins are sorted by it)', dName);
      return { path: `${t.file}#${d.path}(${dName})`, text: dText, source: 'inline' };
    }
    return { path: dFile!, text: null, source: 'file' };
  });
  const coInline = t.string('cluster-objects');
  const coFile = t.string('cluster-objects-file');
  const clusterObjects: ScenarioFileRef | null =
    coInline !== undefined
      ? { path: `${t.file}#config.cluster-objects`, text: coInline, source: 'inline' }
      : coFile !== undefined
        ? { path: coFile, text: null, source: 'file' }
        : null;
  const policyJson = t.string('policy-json') ?? null;
  const registriesD = t.tables('registries-d').map((d) => {
    const dName = d.string('name', { required: true });
    const dText = d.string('text', { required: true });
    d.rejectUnknown(REGISTRIES_D_KEYS);
    // registries.d reads only *.yaml files (registries.d(5)); another name would be silently ignored by the runtime.
    if (!/^[^/]+\.yaml$/.test(dName)) throw d.fail('name', 'a file name ending in .yaml (registries.d reads only those)', dName);
    return { name: dName, text: dText };
  });
  t.rejectUnknown(CONFIG_KEYS);
  return { registriesConf, dropins, clusterObjects, policyJson, registriesD };
}

function checkAuthJson(top: TableReader, text: string): void {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    // Never echo the text: it holds secrets.
    throw top.fail('auth-json', 'a JSON document ({"auths": {"host": {"auth": "base64(user:password)"}}}); the text is not valid JSON');
  }
  if (!isTable(v) || !isTable(v['auths'])) throw top.fail('auth-json', 'a JSON object with an "auths" object (containers-auth.json(5))');
}

function readMock(t: TableReader): ScenarioMock {
  const host = t.string('host', { required: true });
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(host) && !/^\[[0-9a-f:]+\](:\d+)?$/i.test(host)) {
    throw t.fail('host', 'host[:port] exactly as written in registries.conf (e.g. "mirror.example.com:5000")', host);
  }
  // The mock's own parser checks the rest (images, auth, tls, faults) and names the key path on error.
  const spec = parseMockRegistrySpec(t.table, { file: t.file, key: t.path });
  return { host, spec, key: t.path };
}

function readPull(t: TableReader): PullSpec {
  const ref = t.string('ref', { required: true });
  const namespace = t.string('namespace') ?? null;
  // A Kubernetes namespace name (RFC 1123 label): it names /etc/crio/policies/NS.json, so no path characters.
  if (namespace !== null && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw t.fail('namespace', 'a Kubernetes namespace name (lower-case letters, digits and "-", at most 63)', namespace);
  }
  const at = t.number('at', { min: 0 }) ?? 0;
  const repeat = t.number('repeat', { min: 1, integer: true }) ?? 1;
  const interval = t.number('interval', { min: 0 }) ?? 0;
  const timeoutMs = t.number('timeout-ms', { min: 1 }) ?? null;
  const e = t.subTable('expect');
  const expect = e ? readExpect(e) : {};
  t.rejectUnknown(PULL_KEYS);
  return { key: t.path, ref, namespace, at, repeat, interval, timeoutMs, expect };
}

function readExpect(t: TableReader): PullExpectation {
  const out: PullExpectation = {};
  const outcome = t.string('outcome', { oneOf: ['ok', 'failed'] });
  if (outcome !== undefined) out.outcome = outcome as 'ok' | 'failed';
  const source = t.string('source');
  if (source !== undefined) out.source = source;
  if (t.has('attempts')) out.attempts = t.tables('attempts').map(readAttempt);
  const skipped = t.stringArray('skipped');
  if (skipped !== undefined) out.skipped = skipped;
  const errorClass = t.string('error-class', { oneOf: ERROR_CLASSES });
  if (errorClass !== undefined) out.errorClass = errorClass as ErrorClass;
  const errorContains = t.stringArray('error-contains');
  if (errorContains !== undefined) out.errorContains = errorContains;
  const digest = t.string('digest');
  if (digest !== undefined) out.digest = digest;
  const maxMs = t.number('max-ms', { min: 0 });
  if (maxMs !== undefined) out.maxMs = maxMs;
  const signatures = t.string('signatures', { oneOf: ['verified', 'rejected', 'not-checked'] });
  if (signatures !== undefined) out.signatures = signatures as NonNullable<PullExpectation['signatures']>;
  t.rejectUnknown(EXPECT_KEYS);
  if (out.outcome === 'ok' && (out.errorClass !== undefined || out.errorContains !== undefined)) {
    throw t.fail('error-class', 'no final error expectation when outcome = "ok"');
  }
  return out;
}

function readAttempt(t: TableReader): AttemptExpectation {
  const reference = t.string('ref', { required: true });
  const outcome = t.string('outcome', { required: true, oneOf: ['ok', 'failed', 'blocked'] }) as AttemptExpectation['outcome'];
  const a: AttemptExpectation = { reference, outcome };
  const errorClass = t.string('error-class', { oneOf: ERROR_CLASSES });
  if (errorClass !== undefined) a.errorClass = errorClass as ErrorClass;
  const errorContains = t.string('error-contains');
  if (errorContains !== undefined) a.errorContains = errorContains;
  t.rejectUnknown(ATTEMPT_KEYS);
  return a;
}
