/**
 * `pullpath explain`: reads a pull error as users have it (a kubelet event, podman or skopeo output, an
 * `oc describe pod` block) and says which source failed how and what to do; with a configuration, also what
 * that configuration would have tried and how the node's attempts differ. Parsing and explaining are pure
 * (src/explain/); this file reads the input, loads what the flags name and prints.
 */
import { outputFlag, parseCommandArgs } from '../args.ts';
import { UsageError } from '../../src/errors.ts';
import { readInput } from '../../src/read-input.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { describeCredentials } from '../../src/registry/credential-store.ts';
import { credentialFlagOptions, credentialFlagsHelp, credentialStoreFromFlags } from '../credential-flags.ts';
import { findCertDir } from '../../src/registry/certs-d.ts';
import { ExplainInputError, parseErrorText, type ParsedError } from '../../src/explain/parse.ts';
import { explain, repositoryOf, type ExplainContext } from '../../src/explain/explain.ts';
import { formatExplanationText } from '../../src/report/explain-text.ts';
import { formatExplanationJsonLine } from '../../src/report/explain-json.ts';
import { configFlagOptions, configFlagsHelp, loadSetupFromFlags, type ConfigFlagValues } from '../config-flags.ts';

export const help = `Usage: pullpath explain [config flags] [--authfile FILE] [--cert-dir DIR]
                        [--output text|json] [TEXT... | -]

Reads a failed pull's error as you have it and says which source failed how,
and what to do. TEXT is the error itself (quote it), or - (or nothing, from a
pipe) to read standard input. Recognised:
  a kubelet / CRI-O event    Failed to pull image "REF": rpc error: code = ...
  an oc describe pod block   its Events rows, wrapped and cut off as shown
  skopeo                     level=fatal msg="Error parsing image name ...",
                             FATA[0000] initializing source docker://REF: ...
  podman                     Error: initializing source ..., with its
                             "Failed, retrying in 1s ... (N/3)" lines
  the error alone            (Mirrors also failed: [REF: ERR]): REF: ERR,
                             pinging container registry ..., reading manifest

Each attempt is read back in pullpath's terms (reference, step, error class,
HTTP status, as \`pullpath pull\` records them), then explained. With a
configuration (the flags below, or --openshift), the image is resolved and its
chain shown beside the attempts, with what differs: a mirror the node did not
try, a tag pull on digest-only mirrors, the entry (file:line) that blocks a
source; for auth errors the auth.json entry the runtime would use, for TLS
errors where the CA file goes (certs.d).

Flags:
  --authfile FILE        auth.json to look credentials up in (default: the
                         runtime's list; read only with a configuration or
                         this flag). Secrets are never shown.
  --cert-dir DIR         certs.d directory to name for TLS errors (default per
                         host: the first existing certs.d/HOST[:PORT])
  -o, --output text|json text, or JSON Lines: one {type:"explain", ...} per
                         error found; schemas/explain.schema.json
  -h, --help             this help

${credentialFlagsHelp}

${configFlagsHelp}

Exit status: 0 explained, 2 bad usage or no pull error recognised in the input
(the message says what was expected).
`;

const CONFIG_KEYS = ['registries-conf', 'registries-conf-dir', 'openshift', 'policy', 'short-name-aliases'] as const;

async function readText(positionals: string[]): Promise<string> {
  if (positionals.length === 1 && positionals[0] === '-') return (await readInput('-', 'TEXT')).text;
  if (positionals.length > 0) return positionals.join(' ');
  if (process.stdin.isTTY) throw new UsageError('expected the error text as an argument, or - (or a pipe) for standard input; see --help');
  return (await readInput('-', 'TEXT')).text;
}

/** The reference to resolve: as the error names the image (CRI-O: as in the pod spec; skopeo: docker://). */
function imageArg(p: ParsedError): string | null {
  if (p.image !== null) return p.wrappers.includes('kubelet') ? p.image : `docker://${p.normalized}`;
  const primary = p.attempts.find((a) => a.mirror !== true && a.reference !== null);
  return primary ? `docker://${primary.reference}` : null;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: { ...configFlagOptions, ...credentialFlagOptions, authfile: { type: 'string' }, 'cert-dir': { type: 'string' }, output: { type: 'string' }, 'no-tui': { type: 'boolean' } },
    allowPositionals: true,
  });
  const output = outputFlag(values.output) ?? 'text';
  const text = await readText(positionals);
  let parsed: ParsedError[];
  try {
    parsed = parseErrorText(text);
  } catch (err) {
    if (err instanceof ExplainInputError) throw new UsageError(err.message);
    throw err;
  }

  const withConfig = CONFIG_KEYS.some((k) => values[k] !== undefined);
  const setup = withConfig ? await loadSetupFromFlags(values as ConfigFlagValues) : null;
  const compiled = setup ? compileConfig(setup.config) : null;
  const credFlags = values.authfile !== undefined || values.creds !== undefined || values.username !== undefined || values['no-creds'] !== undefined;
  // With registries.conf: its credential-helpers, as the runtime runs them.
  const credentials = withConfig || credFlags ? await credentialStoreFromFlags(values, setup?.config.credentialHelpers) : null;
  const certOpts = values['cert-dir'] !== undefined ? { certDir: values['cert-dir'] } : {};

  const chunks: string[] = [];
  for (const p of parsed) {
    const hosts = [...new Set(p.attempts.filter((a) => a.errorClass === 'tls' && a.host !== null).map((a) => a.host!))];
    const dirs = new Map<string, string>();
    for (const h of hosts) dirs.set(h, await findCertDir(h, certOpts));
    const arg = imageArg(p);
    // The lookups run helpers (async): made here, once per repository, for the attempts that were refused.
    const creds = new Map<string, string>();
    if (credentials) {
      for (const a of p.attempts) {
        if ((a.errorClass !== 'unauthorized' && a.errorClass !== 'forbidden') || a.reference === null) continue;
        const repo = repositoryOf(a.reference);
        const logicalHost = p.normalized !== null ? p.normalized.split('/')[0]! : null;
        if (!creds.has(repo)) creds.set(repo, await credentials.lookup(repo, { logicalHost }).then((l) => (l.credentials ? describeCredentials(l) : `anonymous: ${l.source.text}`), (err: Error) => `no credentials: the lookup fails (${err.message.trim()})`));
      }
    }
    const ctx: ExplainContext = {
      resolution: compiled !== null && arg !== null ? resolveArg(compiled, arg) : null,
      configName: setup?.openshift ? 'the OpenShift objects given' : 'the configuration given',
      ...(credentials ? { credentialsFor: (repo: string) => creds.get(repo) ?? 'anonymous' } : {}),
      ...(hosts.length > 0 ? { certDirFor: (h: string) => dirs.get(h) ?? `/etc/containers/certs.d/${h}` } : {}),
    };
    const e = explain(p, ctx);
    chunks.push(output === 'json' ? formatExplanationJsonLine(e) + '\n' : formatExplanationText(e));
  }
  process.stdout.write(output === 'json' ? chunks.join('') : chunks.join('\n'));
  credentials?.close();
  return 0;
}
