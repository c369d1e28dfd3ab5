/**
 * `pullpath mock SCENARIO`: a scenario's mock registries, standalone, until Ctrl-C (or --duration).
 * Prints where each registry listens and how to point pullpath, skopeo or podman at them.
 */
import type { RunContext } from '../lifecycle.ts';
import { outputFlag, parseCommandArgs } from '../args.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { startStandaloneMocks, type StandaloneMocks } from '../../src/scenario/standalone.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { parseBasePort, parseListen } from '../../src/scenario/listen.ts';

export const help = `Usage: pullpath mock SCENARIO [--duration S] [--same-ports | --listen NAME=ADDR:PORT... | --base-port N]
                     [--seed N] [--output text|json]

Starts the mock registries of a scenario file (with their images, auth, TLS and fault timeline) on
loopback (or the addresses --listen names), writes the scenario's registries.conf, drop-ins, certs.d (the mocks' CA) and auth.json to a
temporary folder (with the scenario's policy.json, registries.d and the mocks' sigstore.pub when it has them), prints where everything is, and serves until Ctrl-C. Use it to try other clients
(skopeo, podman, crictl) against the same situations pullpath's scenarios check.

Flags:
  --duration S         stop by itself after S seconds (default: run until Ctrl-C)
  --same-ports         listen on the port each configured name implies (":5000", else 443 with TLS,
                       80 without), each registry on its own loopback address: the i-th [[registry]]
                       (file order, from 0) binds 127.0.0.(i+2), so /etc/hosts lines (printed) are
                       enough for skopeo and podman (ports under 1024 need privileges)
  --listen NAME=ADDR:PORT
                       the registry whose host is NAME (as in its [[registry]] table) listens exactly on
                       ADDR:PORT (e.g. 127.0.0.1:5000, [::1]:5000; only the addresses you give are bound
                       besides loopback); repeatable. For firewall rules and fixed client configs.
  --base-port N        the i-th [[registry]] (file order, from 0) listens on 127.0.0.1:N+i (a --listen
                       for a registry wins). Not combined with --same-ports.
                       Default: each registry on a random free port of 127.0.0.1, reached with
                       pullpath's --connect-to (printed).
  --seed N             seed for random faults (flaky, latency distributions); default 1
  -o, --output text|json
                       text (default), or one {"type":"mock",…} JSON object describing the registries
                       and files (schemas/mock.schema.json)
  -h, --help           this help

Fault timelines (from/to in seconds) count from the moment the registries start.
Secrets: auth.json is written to the temporary folder (mode 0600), never printed.

Exit status: 0 stopped by --duration, 130 stopped by Ctrl-C, 2 bad usage or an invalid scenario.
`;

function describe(s: Scenario, m: StandaloneMocks): string {
  const width = Math.max(...m.registries.map((r) => r.host.length));
  const lines = [`mock registries of scenario ${s.name} (${s.file})`, ''];
  for (const r of m.registries) {
    const where = r.down ? `down: ${r.address} refuses connections` : `${r.scheme}://${r.address}`;
    lines.push(`  ${r.host.padEnd(width)}  ${where}${r.caFile ? `  (CA: ${r.caFile})` : ''}`);
  }
  lines.push('', `files in ${m.dir}:`, `  registries.conf     ${m.registriesConf}`, `  drop-in folder      ${m.dropinDir}`, `  certs.d             ${m.certsDir}`);
  if (m.caDir) lines.push(`  CA (--cert-dir)     ${m.caDir}`);
  if (m.authFile) lines.push(`  auth.json           ${m.authFile}`);
  if (m.policy) lines.push(`  policy.json         ${m.policy}`);
  if (m.registriesD) lines.push(`  registries.d        ${m.registriesD}`);
  if (m.sigstoreKey) lines.push(`  sigstore.pub        ${m.sigstoreKey}  (the key the mocks sign with)`);
  if (m.gpgKey) lines.push(`  gpg.pub             ${m.gpgKey}  (the OpenPGP key the mocks sign with; lookaside: http://HOST/lookaside)`);
  const sigFlags = `${m.policy ? ` --policy ${m.policy}` : ''}${m.registriesD ? ` --registries.d ${m.registriesD}` : ''}`;
  const connect = m.connectTo.map((c) => `--connect-to ${c}`).join(' ');
  const first = s.pulls[0]?.ref ?? 'REF';
  lines.push(
    '',
    'pullpath:',
    `  pullpath pull --registries-conf ${m.registriesConf} --registries-conf-dir ${m.dropinDir}${m.caDir ? ` --cert-dir ${m.caDir}` : ''}${m.authFile ? ` --authfile ${m.authFile}` : ''}${sigFlags} ${connect} ${first}`,
  );
  if (m.samePorts) {
    lines.push(
      '',
      '/etc/hosts lines (then skopeo and podman reach the mocks by their configured names):',
      ...m.hostsLines.map((h) => `  ${h}`),
      '',
      'skopeo (after adding the lines above; mirrors are contacted with certs.d, so copy it into /etc/containers/certs.d):',
      `  skopeo --registries-conf ${m.registriesConf} inspect --raw${m.caDir ? ` --cert-dir ${m.caDir}` : ''}${m.authFile ? ` --authfile ${m.authFile}` : ''} docker://${first}`,
    );
    if (m.policy) {
      // inspect never checks signatures; copy does (the policy is evaluated when an image is read for copying).
      lines.push(
        '',
        'signatures (skopeo copy and podman pull check the policy; skopeo inspect does not):',
        `  skopeo --registries-conf ${m.registriesConf} --policy ${m.policy}${m.registriesD ? ` --registries.d ${m.registriesD}` : ''} copy${m.caDir ? ` --src-cert-dir ${m.caDir}` : ''}${m.authFile ? ` --src-authfile ${m.authFile}` : ''} docker://${first} dir:/tmp/pullpath-copy`,
        `  podman pull --signature-policy ${m.policy}${m.caDir ? ` --cert-dir ${m.caDir}` : ''}${m.authFile ? ` --authfile ${m.authFile}` : ''} ${first}   (registries.d: podman reads /etc/containers/registries.d; copy the folder there, and registries.conf via CONTAINERS_REGISTRIES_CONF=${m.registriesConf})`,
        "  (Debian's skopeo 1.9.3 has sigstore compiled out: sigstoreSigned policies fail there with 'sigstore disabled'.)",
      );
    }
  } else {
    lines.push('', 'skopeo and podman cannot remap ports: restart with --same-ports and use the printed /etc/hosts lines.');
  }
  lines.push('', 'Serving; Ctrl-C to stop.');
  return lines.join('\n') + '\n';
}

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    options: {
      duration: { type: 'string' }, 'same-ports': { type: 'boolean' }, listen: { type: 'string', multiple: true }, 'base-port': { type: 'string' },
      seed: { type: 'string' }, output: { type: 'string' },
    },
    allowPositionals: true,
  });
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('expected exactly one SCENARIO file (e.g. scenarios/demo.toml)');
  const output = outputFlag(values.output) ?? 'text';
  let durationMs: number | null = null;
  if (values.duration !== undefined) {
    const d = Number(values.duration);
    if (!Number.isFinite(d) || d <= 0) throw new UsageError(`--duration: expected a number of seconds > 0, got "${values.duration}"`);
    durationMs = d * 1000;
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed: expected an integer, got "${values.seed}"`);
  const listen = (values.listen ?? []).map(parseListen);
  const basePort = values['base-port'] === undefined ? null : parseBasePort(values['base-port']);
  if (values['same-ports'] === true && (listen.length > 0 || basePort !== null)) throw new UsageError('--same-ports cannot be combined with --listen or --base-port');

  let scenario: Scenario;
  try {
    scenario = await loadScenario(positionals[0]!);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`pullpath mock: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  let mocks: StandaloneMocks;
  try {
    mocks = await startStandaloneMocks(scenario, { samePorts: values['same-ports'] === true, listen, basePort, seed });
  } catch (err) {
    // A port in use or an address this machine lacks: the user's input, said with the registry it concerns.
    if (err instanceof ConfigError) {
      process.stderr.write(`pullpath mock: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (output === 'json') {
    const { close: _close, ...data } = mocks;
    process.stdout.write(JSON.stringify({ type: 'mock', scenario: scenario.name, file: scenario.file, ...data }) + '\n');
  } else {
    process.stdout.write(describe(scenario, mocks));
  }
  // Serves until --duration, SIGTERM, or the run stops (Ctrl-C: exit 130; a closed output: 141).
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      ctx.signal.removeEventListener('abort', stop);
      process.removeListener('SIGTERM', stop);
      if (timer) clearTimeout(timer);
      resolve();
    };
    const timer = durationMs !== null ? setTimeout(stop, durationMs) : null;
    if (ctx.signal.aborted) stop();
    ctx.signal.addEventListener('abort', stop, { once: true });
    process.once('SIGTERM', stop);
  });
  await mocks.close();
  if (output === 'text') process.stdout.write('stopped\n');
  return 0;
}
