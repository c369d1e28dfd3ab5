/**
 * ImageDigestMirrorSet / ImageTagMirrorSet → containerd hosts.toml files, as OpenShift's Windows Machine Config
 * Operator renders them for Windows nodes (openshift/windows-machine-config-operator pkg/registries,
 * GenerateConfigFiles; written from its behaviour, not its code):
 *
 * - one file per SOURCE HOST (`<host>\hosts.toml` under containerd's config dir): the source's repository path is
 *   dropped, so the mirrors apply to every repository of that host;
 * - rules with the same source host merge; a mirror listed twice keeps "resolve" if any rule gave it
 *   (ITMS beats IDMS); NeverContactSource wins over AllowContactingSource;
 * - each mirror loses the path components it shares (from the end) with its source, because containerd appends
 *   the whole repository path; mirrors are sorted alphabetically (not in the objects' order), files by host;
 * - `server = "https://<source host>/v2"` (NeverContactSource: the first mirror instead) with a root
 *   `override_path = true`; each mirror `[host."https://<mirror host>/v2/<path>"]` with capabilities
 *   ["pull"] (IDMS) or ["pull", "resolve"] (ITMS) and `override_path = true`;
 * - a mirror host with credentials in the pull secret gets an `authorization = "Basic …"` header: NOT rendered
 *   here (it is a secret); a note says where it would go;
 * - ImageContentSourcePolicy is not read by the WMCO.
 */
import type { MirrorSetObject, OpenShiftObjects } from '../openshift/types.ts';

export interface RenderedHostsFile {
  /** Directory name under the hosts root (the source host, `host:port` as the WMCO writes it). */
  dir: string;
  /** `<dir>/hosts.toml` (the WMCO writes `<dir>\hosts.toml` on Windows). */
  path: string;
  /** The file content; '' when the merged set has no mirrors (the WMCO writes an empty file). */
  content: string;
  /** The objects (file:line key) the file came from. */
  from: string[];
}

export interface WmcoRender {
  files: RenderedHostsFile[];
  warnings: Array<{ code: string; message: string; origin?: string }>;
  notes: string[];
}

interface Mirror {
  host: string;
  resolveTags: boolean;
}

interface MirrorSet {
  source: string;
  mirrors: Mirror[];
  policy: string;
  from: string[];
}

/** Everything before the first "/" (what the WMCO's hostname extraction yields for scheme-less names). */
export function registryHostname(image: string): string {
  return image.split('/')[0]!;
}

function orgPath(registry: string): string {
  const host = registryHostname(registry);
  const i = registry.indexOf(host);
  if (i === -1) return '';
  return registry.slice(i + host.length).replace(/^\//, '');
}

/** The mirror without the path components it shares, from the end, with the source. */
export function uniqueMirrorPart(source: string, mirror: string): string {
  if (source === mirror) return registryHostname(mirror);
  const s = source.split('/');
  const m = mirror.split('/');
  let keep = m.length;
  for (let i = 0; i < s.length && i < m.length; i++) {
    if (s[s.length - 1 - i] !== m[m.length - 1 - i]) break;
    keep--;
  }
  return m.slice(0, keep).join('/');
}

function originOf(o: MirrorSetObject, line: number | undefined, key: string): string {
  return `${o.origin.file}${line !== undefined ? `:${line}` : ''} ${o.kind}/${o.origin.name} ${key}`;
}

export function renderWmcoHostsToml(objects: OpenShiftObjects): WmcoRender {
  const warnings: WmcoRender['warnings'] = [];
  const notes: string[] = [];
  const sets: MirrorSet[] = [];
  if (objects.icsp.length > 0) {
    notes.push(`${objects.icsp.length} ImageContentSourcePolicy object(s) ignored: the Windows Machine Config Operator reads only ImageDigestMirrorSet and ImageTagMirrorSet`);
  }
  for (const [list, resolveTags] of [[objects.idms, false], [objects.itms, true]] as const) {
    for (const o of list) {
      for (const rule of o.rules) {
        const origin = originOf(o, rule.line, rule.key);
        const srcHost = registryHostname(rule.source);
        const srcPath = orgPath(rule.source);
        if (srcPath !== '') {
          warnings.push({
            code: 'wmco-source-path-dropped',
            message: `source "${rule.source}": containerd configures whole hosts, so on Windows nodes these mirrors apply to every repository of ${srcHost}, not only ${rule.source}/…`,
            origin,
          });
        }
        const mirrors = rule.mirrors.map((m) => {
          const host = uniqueMirrorPart(rule.source, m);
          // containerd appends the whole repository path: unless the source path is a shared suffix of the mirror,
          // Windows nodes ask the mirror for a different repository than Linux nodes (CRI-O) do.
          const shared = rule.source === m ? srcPath : rule.source.split('/').slice(1).join('/');
          const mirrorAsked = `${host}/${shared}`.replace(/\/$/, '');
          if (srcPath !== '' && rule.source !== m && mirrorAsked !== m) {
            warnings.push({
              code: 'wmco-mirror-path-differs',
              message: `mirror "${m}" of "${rule.source}": Windows nodes request ${host}/${srcPath}/… (containerd appends the source repository path), Linux nodes ${m}/…`,
              origin,
            });
          }
          return { host, resolveTags };
        });
        sets.push({ source: srcHost, mirrors, policy: rule.mirrorSourcePolicy, from: [origin] });
      }
    }
  }
  // Merge by source host.
  const merged = new Map<string, MirrorSet>();
  for (const s of sets) {
    const existing = merged.get(s.source);
    if (existing === undefined) {
      merged.set(s.source, { ...s, mirrors: dedupe(s.mirrors), from: [...s.from] });
      continue;
    }
    existing.mirrors = dedupe([...existing.mirrors, ...s.mirrors]);
    if (existing.policy === 'AllowContactingSource') existing.policy = s.policy;
    existing.from.push(...s.from);
  }
  const files: RenderedHostsFile[] = [];
  for (const s of [...merged.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))) {
    s.mirrors.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
    files.push({ dir: s.source, path: `${s.source}/hosts.toml`, content: generate(s), from: s.from });
  }
  if (files.some((f) => f.content !== '')) {
    notes.push('mirror hosts with credentials in the cluster pull secret also get [host."…".header] authorization = "Basic …" on the node; not rendered here (a secret)');
  }
  return { files, warnings, notes };
}

function dedupe(mirrors: Mirror[]): Mirror[] {
  const byHost = new Map<string, Mirror>();
  for (const m of mirrors) {
    const e = byHost.get(m.host);
    if (e === undefined || (!e.resolveTags && m.resolveTags)) byHost.set(m.host, m);
  }
  return [...byHost.values()];
}

function generate(s: MirrorSet): string {
  if (s.mirrors.length === 0) return '';
  const fallback = s.policy === 'NeverContactSource' ? s.mirrors[0]!.host : s.source;
  const fbOrg = orgPath(fallback);
  let out = `server = "https://${registryHostname(fallback)}/v2${fbOrg !== '' ? `/${fbOrg}` : ''}"\n`;
  out += '\noverride_path = true\n';
  for (const m of s.mirrors) {
    const org = orgPath(m.host);
    out += '\n';
    out += `[host."https://${registryHostname(m.host)}/v2${org !== '' ? `/${org}` : ''}"]\n`;
    out += m.resolveTags ? '  capabilities = ["pull", "resolve"]\n' : '  capabilities = ["pull"]\n';
    out += '  override_path = true\n';
  }
  return out;
}
