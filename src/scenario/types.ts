/**
 * A scenario: "with these files, these registries behaving like this, these pulls must end like that".
 * Pure data, produced by `parseScenario` (TOML text → Scenario) and consumed by the runner, the
 * reports and the TUI. The TOML keys are kebab-case (as in registries.conf); the fields here are camelCase.
 *
 * Example (the whole format is documented in `scenarios/README.md`):
 * ```toml
 * name = "first-healthy-mirror-wins"
 * story = "Two mirrors in front of quay.io; the first is down, the second serves."
 * [config]
 * registries-conf = '''
 * [[registry]]
 * location = "quay.io/org"
 * [[registry.mirror]]
 * location = "mirror-1.example.com:5000/org"
 * '''
 * [[registry]]
 * host = "quay.io"
 * images = [{ repository = "org/app", tags = ["1.4"] }]
 * [[pull]]
 * ref = "quay.io/org/app:1.4"
 * [pull.expect]
 * outcome = "ok"
 * source = "quay.io/org/app:1.4"
 * ```
 */
import type { ErrorClass, PullEvent } from '../events/pull-events.ts';
import type { MockRegistrySpec } from '../mock/spec.ts';

/** One registries.conf-like file: inline text or a path (relative to the scenario file), read by the loader. */
export interface ScenarioFileRef {
  /** The path used in messages and as the file's origin ("scenario.toml#config.registries-conf" for inline text). */
  path: string;
  /** The text when inline; filled in by the loader for files given by path. */
  text: string | null;
  /** For path entries: the absolute path to read. */
  source: 'inline' | 'file';
}

export interface ScenarioConfig {
  /** The main registries.conf (null only when cluster objects are given instead). */
  registriesConf: ScenarioFileRef | null;
  /** registries.conf.d drop-ins, in load order (sorted by name, as containers/image sorts a directory). */
  dropins: ScenarioFileRef[];
  /**
   * OpenShift cluster objects (image.config, ICSP, IDMS, ITMS as YAML, several documents allowed). When set,
   * the node's registries.conf and search drop-in are rendered from them by src/openshift, as the Machine
   * Config Operator renders them, instead of `registries-conf`. ClusterImagePolicy/ImagePolicy objects there
   * also give policy.json, registries.d and `/etc/crio/policies/NS.json` (then `policy-json` is refused); their
   * `keyData` may be `"{{sigstore-pub-data}}"`, the mocks' generated key (see cluster-policies.ts).
   */
  clusterObjects: ScenarioFileRef | null;
  /**
   * containers-policy.json text the pulls are judged (and their signatures verified) with. `{{sigstore-pub}}`
   * (the path of the mocks' generated public key) and `{{sigstore-pub-data}}` (that key, base64, for keyData)
   * are filled in when the mocks start, since the key is generated per run. Null: no policy (nothing judged).
   */
  policyJson?: string | null;
  /** registries.d YAML files (`use-sigstore-attachments`, lookaside), by file name ending in .yaml/.yml. */
  registriesD?: { name: string; text: string }[];
  /**
   * The node runs containerd instead (`[config] hosts = { "<host dir>" = '''hosts.toml''' }` and/or
   * `containerd-config`): pulls are resolved by src/containerd and pulled as containerd's resolver pulls.
   */
  containerd?: ScenarioContainerd | null;
}

/** A containerd node: its hosts directories and, optionally, its config.toml. */
export interface ScenarioContainerd {
  /** Host directory name (`docker.io`, `mirror:5000`, `_default`) → hosts.toml text (null: the directory without one). */
  hosts: Record<string, string | null>;
  /** Where those directories are on the node (default `/etc/containerd/certs.d`). */
  root: string;
  /** config.toml text: its `config_path` decides whether `root` is read at all (no config.toml: read, as `ctr --hosts-dir`). */
  config: string | null;
  /** Which containerd to emulate where versions differ. Default 1.6. */
  compat: '1.6' | '1.7' | '2.x';
}

/** What one attempt (one source tried) must look like. */
export interface AttemptExpectation {
  /** The physical reference, exactly as contacted (`mirror.example.com:5000/org/app:1.4`). */
  reference: string;
  outcome: 'ok' | 'failed' | 'blocked';
  errorClass?: ErrorClass;
  /** Text that must appear in this attempt's error. */
  errorContains?: string;
}

/** Expectations for one pull. Absent fields are not checked. */
export interface PullExpectation {
  outcome?: 'ok' | 'failed';
  /** The physical reference that won. */
  source?: string;
  /** The exact attempt order, each with its outcome. Nothing more, nothing less. */
  attempts?: AttemptExpectation[];
  /** Mirror locations the resolution must leave out (digest-only mirror and a tag pull). */
  skipped?: string[];
  /** Class of the final error. */
  errorClass?: ErrorClass;
  /** Texts that must all appear in the final error. */
  errorContains?: string[];
  /** The manifest digest the pull must end with (`sha256:…`, after template expansion). */
  digest?: string;
  /** The pull (all attempts) must finish within this many milliseconds. */
  maxMs?: number;
  /**
   * The signature step: `verified` (policy.json required signatures and they verified on the serving source),
   * `rejected` (they were checked and denied), `not-checked` (no signature step ran). Without it a pull that
   * passes cannot tell "signature verified" from "signatures never looked at".
   */
  signatures?: 'verified' | 'rejected' | 'not-checked';
}

export interface PullSpec {
  /** Position in the file (`pull[2]`), for messages. */
  key: string;
  /** The reference as a user would type it (templates already expanded by the runner). */
  ref: string;
  /**
   * The pod's namespace (`namespace = "team"`): the pull is judged as CRI-O judges a pod there, with the
   * `/etc/crio/policies/NS.json` rendered from the cluster objects' ImagePolicy objects when there is one, else
   * policy.json. Null: policy.json.
   */
  namespace: string | null;
  /** Seconds after the scenario started (mock fault timelines count from the same instant). */
  at: number;
  /** Run the pull this many times (a loop), `interval` seconds apart; each run is checked. */
  repeat: number;
  interval: number;
  /** Per-attempt timeout in ms (a blackholed mirror costs this much). */
  timeoutMs: number | null;
  expect: PullExpectation;
}

/** A mock registry, as the scenario declares it: the host name as configured plus the mock's own spec. */
export interface ScenarioMock {
  /** `host[:port]` exactly as in registries.conf (`mirror.example.com:5000`). */
  host: string;
  /** The whole `[[registry]]` table as src/mock's checked spec (images, auth, tls, faults): one description, not two. */
  spec: MockRegistrySpec;
  key: string;
}

export interface Scenario {
  /** The scenario file (absolute or as given), for messages. */
  file: string;
  name: string;
  story: string;
  config: ScenarioConfig;
  /** auth.json contents (secret: never printed). */
  authJson: string | null;
  mocks: ScenarioMock[];
  pulls: PullSpec[];
  /** Whole-run defaults. */
  defaults: { timeoutMs: number };
}

/** The verdict on one expectation. */
export interface ExpectationResult {
  /** Which expectation (`outcome`, `source`, `attempts[1].outcome`, `max-ms`). */
  key: string;
  ok: boolean;
  expected: string;
  actual: string;
}

/** One run of one pull (a `[[pull]]` with `repeat = 3` has three). */
export interface PullRunReport {
  /** `pull[1]`, plus `#2` for the second run of a loop. */
  key: string;
  ref: string;
  /** 1-based run number within the pull's loop. */
  run: number;
  /** Every event the engine emitted for this run, in order. */
  events: PullEvent[];
  expectations: ExpectationResult[];
  /** Every expectation met (true when there were none). */
  ok: boolean;
}

/** What the mock registries saw, for the report: requests nobody answered and fault rules that never fired. */
export interface MockActivity {
  host: string;
  /** `127.0.0.1:40123`, or null for a registry declared down. */
  address: string | null;
  requests: number;
  /** Requests the registry could not route (what a scenario author likely did not intend). */
  unmatched: string[];
  /** Fault rules that never fired, in words. */
  unusedRules: string[];
}

export interface ScenarioReport {
  file: string;
  name: string;
  story: string;
  /** All pulls met their expectations and the scenario could be set up. */
  ok: boolean;
  /** Set-up failure (config rejected, mock could not start): no pull ran. */
  error: string | null;
  pulls: PullRunReport[];
  mocks: MockActivity[];
  durationMs: number;
}
