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
import { openShiftTextsFromFlags } from '../openshift-flags.ts';
import { policyVerdictJson, policyVerdictWord } from '../../src/report/policy-json.ts';

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
  --transport NAME      policy transport section to use (default docker)
  --check-signatures    verify signatures (not implemented: exits 2)
  -o, --output text|json
                        text (default) or JSON Lines, one object per reference, in order:
                        {type:"policy", image, normalized, imageName, transport, verdict, allowed, scope,
                        scopeMatch, requirements:[{type, outcome, detail}], message, policyFile}
  -h, --help            this help

Exit status: 0 every reference allowed or needing only signatures, 1 some reference rejected, 2 bad usage,
invalid policy.json or invalid reference.
`;

export async function run(argv: string[]): Promise<number> {
  let values: {
    policy?: string;
    openshift?: string[];
    'release-image'?: string;
    'ocp-version'?: string;
    transport?: string;
    'check-signatures'?: boolean;
    output?: string;
  };
  let positionals: string[];
  ({ values, positionals } = parseCommandArgs({
    args: argv,
    options: {
      policy: { type: 'string' },
      openshift: { type: 'string', multiple: true },
      'release-image': { type: 'string' },
      'ocp-version': { type: 'string' },
      transport: { type: 'string' },
      'check-signatures': { type: 'boolean' },
      output: { type: 'string' },
    },
    allowPositionals: true,
  }));
  const output = outputFlag(values.output) ?? 'text';
  if (values['check-signatures']) throw new UsageError('--check-signatures is not implemented yet: signatures are reported as required, not verified');
  if (positionals.length === 0) throw new UsageError('give at least one image reference, e.g. pullpath policy quay.io/org/app:1.4');
  if (values.policy !== undefined && values.openshift !== undefined) throw new UsageError('--policy and --openshift cannot be combined');

  let policy: Policy;
  try {
    policy = values.openshift !== undefined ? await policyFromOpenShift(values.openshift, values['release-image'], values['ocp-version']) : await loadPolicyFile(values.policy ?? defaultPolicyPath());
  } catch (err) {
    if (!(err instanceof PullpathError) || err instanceof UsageError) throw err;
    process.stderr.write(`pullpath policy: ${err.message}\n`);
    return 2;
  }

  let rejected = false;
  let bad = false;
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
    if (output === 'json') process.stdout.write(JSON.stringify(policyVerdictJson(ref, v, policy.file)) + '\n');
    else process.stdout.write(formatVerdict(v, policy.file));
  }
  if (bad) return 2;
  return rejected ? 1 : 0;
}

async function policyFromOpenShift(paths: string[], releaseImage: string | undefined, ocpVersion: string | undefined): Promise<Policy> {
  const t = await openShiftTextsFromFlags({ openshift: paths, 'release-image': releaseImage, 'ocp-version': ocpVersion });
  return parsePolicy(t?.policyJson ?? '', t ? formatRenderedFrom(t.policySources) : '(rendered)');
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
