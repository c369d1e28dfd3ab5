/**
 * Decodes the registries.conf template the way the MCO's `toml.Decode` into `V2RegistriesConf` does:
 * known keys land in their fields, unknown keys (e.g. v1 `[registries.search]`) are silently dropped —
 * which is reported as a note, since the rendered file will not carry them.
 */
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../errors.ts';
import { emptyNodeConf, newRegistry, type NodeEndpoint, type NodeRegistriesConf, type NodeRegistry } from './node-registries-conf.ts';

export function decodeRegistriesTemplate(text: string, file: string, notes: string[]): NodeRegistriesConf {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    const line = err instanceof TomlError ? err.line : undefined;
    throw new ConfigError(`error unmarshalling registries config: ${file}${line ? `:${line}` : ''}: ${(err as Error).message.split('\n')[0]}`, {
      file,
      ...(line ? { line } : {}),
      code: 'PP_ERR_OPENSHIFT_TEMPLATE',
    });
  }
  const bad = (key: string, want: string): ConfigError =>
    new ConfigError(`error unmarshalling registries config: ${file}: ${key}: expected ${want}`, { file, code: 'PP_ERR_OPENSHIFT_TEMPLATE' });
  const str = (v: unknown, key: string): string => {
    if (v === undefined) return '';
    if (typeof v !== 'string') throw bad(key, 'a string');
    return v;
  };
  const bool = (v: unknown, key: string): boolean => {
    if (v === undefined) return false;
    if (typeof v !== 'boolean') throw bad(key, 'true or false');
    return v;
  };
  const strs = (v: unknown, key: string): string[] | null => {
    if (v === undefined) return null;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(key, 'a list of strings');
    return v as string[];
  };
  const tables = (v: unknown, key: string): Record<string, unknown>[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) throw bad(key, 'an array of tables');
    return v as Record<string, unknown>[];
  };
  const known = ['registry', 'unqualified-search-registries', 'credential-helpers', 'short-name-mode', 'additional-layer-store-auth-helper', 'aliases'];
  for (const k of Object.keys(doc)) if (!known.includes(k)) notes.push(`${file}: key "${k}" is not part of registries.conf v2; the MCO drops it when it rewrites the file`);

  const conf = emptyNodeConf();
  conf.unqualifiedSearchRegistries = strs(doc['unqualified-search-registries'], 'unqualified-search-registries');
  conf.credentialHelpers = strs(doc['credential-helpers'], 'credential-helpers');
  conf.shortNameMode = str(doc['short-name-mode'], 'short-name-mode');
  conf.additionalLayerStoreAuthHelper = str(doc['additional-layer-store-auth-helper'], 'additional-layer-store-auth-helper');
  if (doc.aliases !== undefined) {
    const a = doc.aliases;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) throw bad('aliases', 'a table');
    conf.aliases = new Map(Object.entries(a).map(([k, v]) => [k, str(v, `aliases.${k}`)]));
  }
  const regs = tables(doc.registry, 'registry').map((r, i): NodeRegistry => {
    const at = `registry[${i}]`;
    const endpoint = (e: Record<string, unknown>, eat: string): NodeEndpoint => ({
      location: str(e.location, `${eat}.location`),
      insecure: bool(e.insecure, `${eat}.insecure`),
      pullFromMirror: str(e['pull-from-mirror'], `${eat}.pull-from-mirror`),
    });
    return newRegistry({
      prefix: str(r.prefix, `${at}.prefix`),
      ...endpoint(r, at),
      mirrors: tables(r.mirror, `${at}.mirror`).map((m, j) => endpoint(m, `${at}.mirror[${j}]`)),
      blocked: bool(r.blocked, `${at}.blocked`),
      mirrorByDigestOnly: bool(r['mirror-by-digest-only'], `${at}.mirror-by-digest-only`),
    });
  });
  if (regs.length > 0) conf.registries = regs;
  return conf;
}
