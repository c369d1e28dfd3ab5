/**
 * `pullpath policy REF...`: what policy.json decides for each image and which scope decided it, judged on
 * the reference as given (the logical name — pulls through mirrors are judged on it too).
 */
import { outputFlag, parseCommandArgs } from '../args.ts';
import { PullpathError, UsageError } from '../../src/errors.ts';
import { evaluatePolicy } from '../../src/policy/evaluate.ts';
import { defaultPolicyPath, loadPolicyFile } from '../../src/policy/load-policy.ts';
import { parsePolicy } from '../../src/policy/parse.ts';
import { formatRenderedFrom } from '../../src/config/rendered-from.ts';
import type { Policy, PolicyVerdict } from '../../src/policy/types.ts';
import { openShiftTextsFromFlags, policyForNamespace } from '../openshift-flags.ts';
import { policyVerdictJson, policyVerdictWord, signatureOutcomeJson, type SignatureOutcome } from '../../src/report/policy-json.ts';
import { configFlagOptions, configFlagsHelp, loadSetupFromFlags, signatureContextFromFlags, type ConfigFlagValues } from '../config-flags.ts';
import { clientFlagOptions, clientFlagsHelp, clientFromFlags, parseSeconds, type ClientFlagValues } from '../registry-client-flags.ts';
import type { RunContext } from '../lifecycle.ts';
import { compileConfig } from '../../src/resolve/compile.ts';
import { resolveArg } from '../../src/resolve/resolve.ts';
import { pullOne } from '../../src/pull/pull-one.ts';

export const help = `Usage: pullpath policy [--policy FILE | --openshift PATH...] [flags] REF...

Evaluates containers-policy.json for each image reference as containers/image does: the requirements of the
most specific scope (exact tag/digest identity, repository, parent namespaces, host[:port], *. wildcard domains,
the transport's "" default, then the global default) must all pass, in order. insecureAcceptAnything accepts,
reject rejects ("Running image docker://REF is rejected by policy."); signedBy and sigstoreSigned are shown as
"requires a valid signature (key …)" and the verdict says signatures were not checked. Pulls through registry
mirrors are judged on the reference you give (the source name), never on the mirror's, as the runtime does.

Flags:
  --policy FILE         policy.json to use (default: $HOME/.config/containers/policy.json if it exists,
                        else /etc/containers/policy.json)
  --openshift PATH      use the policy.json the MCO renders from these cluster objects (YAML file or folder;
                        repeat the flag for several); see \`pullpath render --help\`
  --release-image REF   with --openshift: the release payload (see render)
  --ocp-version V       with --openshift: release line format (current or e.g. 4.12)
  --namespace NS        with --openshift: judge as CRI-O does for a pod in namespace NS (its rendered
                        /etc/crio/policies/NS.json from ImagePolicy objects, else policy.json)
  --transport NAME      policy transport section to use (default docker)
  --check-signatures    where the verdict needs signatures, verify them as the runtime would at pull time:
                        the image is resolved with the registries configuration (config flags below),
                        pulled (manifest only) from the source the runtime would choose, and its
                        signatures read from THAT source (registries.d: --registries.d) and verified.
                        Network and config flags apply only with --check-signatures
  -o, --output text|json
                        text (default) or JSON Lines, one object per reference, in order:
                        {type:"policy", image, normalized, imageName, transport, verdict, allowed, scope,
                        scopeMatch, requirements:[{type, outcome, detail}], message, policyFile}
  -h, --help            this help

Exit status: 0 every reference allowed (or, without --check-signatures, needing only signatures),
1 some reference rejected (or its signatures did not verify), 2 bad usage, invalid policy.json or invalid
reference.

With --check-signatures:
${configFlagsHelp}

${clientFlagsHelp.replace('DEFAULT_TIMEOUT', '30')}
`;

type PolicyFlagValues = ConfigFlagValues &
  ClientFlagValues & {
    transport?: string | undefined;
    'check-signatures'?: boolean | undefined;
    output?: string | undefined;
  };

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    options: {
      ...configFlagOptions,
      ...clientFlagOptions,
      transport: { type: 'string' },
      'check-signatures': { type: 'boolean' },
      output: { type: 'string' },
    },
    allowPositionals: true,
  });
  const values = parsed.values as PolicyFlagValues;
  const positionals = parsed.positionals;
  const output = outputFlag(values.output) ?? 'text';
  const checkSignatures = values['check-signatures'] === true;
  if (checkSignatures && values.transport !== undefined && values.transport !== 'docker') throw new UsageError('--check-signatures pulls over the registry API: only the docker transport');
  if (positionals.length === 0) throw new UsageError('give at least one image reference, e.g. pullpath policy quay.io/org/app:1.4');
  if (values.policy !== undefined && values.openshift !== undefined) throw new UsageError('--policy and --openshift cannot be combined');

  let policy: Policy;
  try {
    policy = values.openshift !== undefined ? await policyFromOpenShift(values.openshift, values['release-image'], values['ocp-version'], values.namespace) : await loadPolicyFile(values.policy ?? defaultPolicyPath());
  } catch (err) {
    if (!(err instanceof PullpathError) || err instanceof UsageError) throw err;
    process.stderr.write(`pullpath policy: ${err.message}\n`);
    return 2;
  }

  const verifier = checkSignatures ? await signatureVerifier(values, policy, ctx.signal) : null;
  let rejected = false;
  let bad = false;
  try {
  for (const ref of positionals) {
    let v: PolicyVerdict;
    try {
      v = evaluatePolicy(policy, ref, values.transport !== undefined ? { transport: values.transport } : {});
    } catch (err) {
      if (!(err instanceof PullpathError)) throw err;
      process.stderr.write(`pullpath policy: ${err.message}\n`);
      bad = true;
      continue;
    }
    if (v.allowed === false) rejected = true;
    // Signatures are checked only where the verdict depends on them, as the runtime evaluates them.
    const signed = verifier !== null && v.allowed === null ? await verifier(ref) : null;
    if (signed !== null && !signed.ok) rejected = true;
    if (output === 'json') process.stdout.write(JSON.stringify({ ...policyVerdictJson(ref, v, policy.file), ...(signed ? { signatures: signatureOutcomeJson(signed) } : {}) }) + '\n');
    else process.stdout.write(formatVerdict(v, policy.file) + (signed ? formatSignatures(signed) : ''));
    if (ctx.signal.aborted) break;
  }
  } finally {
    await verifier?.close();
  }
  if (bad) return 2;
  return rejected ? 1 : 0;
}

type Verifier = ((ref: string) => Promise<SignatureOutcome>) & { close(): Promise<void> };

/**
 * For --check-signatures: resolves each reference with the registries configuration, pulls its manifest from
 * the source the runtime would choose, and verifies the signatures there (the pull engine's signature step).
 */
async function signatureVerifier(values: PolicyFlagValues, policy: Policy, signal: AbortSignal): Promise<Verifier> {
  const setup = await loadSetupFromFlags({ ...values, policy: undefined, openshift: values.openshift });
  const client = await clientFromFlags(values, { credentialHelpers: setup.config.credentialHelpers, proxyEnv: setup.proxyEnv });
  const signatures = await signatureContextFromFlags(values, { ...setup, policy }, client);
  const compiled = compileConfig(setup.config);
  const timeoutMs = parseSeconds('timeout', values.timeout, 30_000);
  const verify = async (ref: string): Promise<SignatureOutcome> => {
    const result = await pullOne(resolveArg(compiled, ref), { client, policy, signatures, attemptTimeoutMs: timeoutMs }, () => {}, signal);
    if (result.signatures) return { ok: result.ok, source: result.source, error: result.ok ? null : result.error, errorClass: result.ok ? null : result.errorClass, lookedIn: result.signatures.lookedIn, checks: result.signatures.checks };
    // No source served the image: there was nothing to check signatures on.
    return { ok: false, source: null, error: `signatures not checked: the image could not be pulled: ${result.error ?? 'unknown error'}`, errorClass: result.errorClass, lookedIn: [], checks: [] };
  };
  return Object.assign(verify, { close: () => client.close() });
}

function formatSignatures(s: SignatureOutcome): string {
  const lines = [`  signatures: ${s.ok ? 'VERIFIED' : 'REJECTED'}${s.source ? ` (served by ${s.source}; looked for in ${s.lookedIn.join(', ') || 'nowhere'})` : ''}`];
  for (const c of s.checks) lines.push(`    ${c.requirement}: ${c.ok ? 'ok' : `${c.errorClass}: ${c.error ?? ''}`}; ${c.signaturesFound} signature(s) found`);
  if (!s.ok && s.error) lines.push(`  ${s.error}`);
  return lines.join('\n') + '\n';
}

async function policyFromOpenShift(paths: string[], releaseImage: string | undefined, ocpVersion: string | undefined, namespace: string | undefined): Promise<Policy> {
  const t = await openShiftTextsFromFlags({ openshift: paths, 'release-image': releaseImage, 'ocp-version': ocpVersion });
  if (t === null) return parsePolicy('', '(rendered)');
  const chosen = policyForNamespace(t, namespace);
  return parsePolicy(chosen.json, chosen.label ?? formatRenderedFrom(t.policySources));
}

const verdictWord = policyVerdictWord;

function formatVerdict(v: PolicyVerdict, file: string): string {
  const scope = v.scopeMatch === 'global-default' ? 'default' : `transports.${v.transport}[${JSON.stringify(v.scope)}]`;
  const lines = [
    `${v.reference}: ${verdictWord(v).toUpperCase()}`,
    `  decided by ${scope} (${v.scopeMatch}) in ${file}`,
    ...v.requirements.map((r, i) => `  ${i + 1}. ${r.type}: ${r.outcome}${r.outcome === 'accept' ? '' : ` — ${r.detail}`}`),
    `  ${v.message}`,
  ];
  return lines.join('\n') + '\n';
}
