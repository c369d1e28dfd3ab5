/**
 * MCO `validateRegistriesConfScopes` and the policy.json preconditions, in the MCO's order: insecure
 * scopes, blocked scopes, mirror rules (IDMS, then ICSP, then ITMS; a source's first policy wins and a
 * different one later conflicts), then allowed+blocked, then allowed scopes. The MCO stops at the first;
 * we report every one, in that order, so the first finding is the one the MCO would log.
 */
import { goQuote } from '../go-quote.ts';
import { ERR_ALLOWED_AND_BLOCKED } from './policy-json.ts';
import { isValidRegistriesConfScope, MIRROR_REGEX, SOURCE_REGEX } from './scopes.ts';
import type { Finding, MirrorSetObject, OpenShiftObjects, RegistrySources } from './types.ts';

export interface ValidateOptions {
  legacyIcsp: boolean;
  rejectIcspWithMirrorSets?: boolean;
  /** Payload repository name, for the one allowed+blocked combination the MCO accepts. */
  payloadRepo: string | null;
  /** The policy lists after payload handling (what updatePolicyJSON receives). */
  policyBlocked: string[] | null;
  allowed: string[] | null;
}

export function validateObjects(objs: OpenShiftObjects, opts: ValidateOptions): Finding[] {
  const out: Finding[] = [];
  const img = objs.image;
  const file = img?.origin.file;
  const rs = img?.registrySources;
  const scopeList = (list: string[] | null | undefined, field: string, what: string): void => {
    (list ?? []).forEach((s, i) => {
      if (!isValidRegistriesConfScope(s)) {
        out.push({ code: 'invalid-scope', message: `invalid entry for ${what} registries ${goQuote(s)}`, ...at(file, `spec.registrySources.${field}[${i}]`, img?.itemLines?.[field as keyof RegistrySources]?.[i]) });
      }
    });
  };
  scopeList(rs?.insecureRegistries, 'insecureRegistries', 'insecure');
  scopeList(rs?.blockedRegistries, 'blockedRegistries', 'blocked');

  if (opts.legacyIcsp) {
    for (const set of [...objs.idms, ...objs.itms]) {
      out.push({
        code: 'kind-not-in-release',
        message: `${set.kind} "${set.origin.name}" needs OpenShift 4.13 or later; clusters up to 4.12 only read ImageContentSourcePolicy`,
        ...at(set.origin.file, 'kind'),
      });
    }
  }

  if (opts.rejectIcspWithMirrorSets && objs.icsp.length > 0) {
    const icsp = objs.icsp[0] as MirrorSetObject;
    if (objs.idms.length > 0) out.push({ code: 'icsp-with-mirror-sets', message: 'error: both imagecontentsourcepolicy and imagedigestmirrorset exist', ...at(icsp.origin.file, 'kind') });
    if (objs.itms.length > 0) out.push({ code: 'icsp-with-mirror-sets', message: 'error: both imagecontentsourcepolicy and imagetagmirrorset exist', ...at(icsp.origin.file, 'kind') });
  }

  const policyOf = new Map<string, string>();
  const checkSets = (sets: MirrorSetObject[]): void => {
    for (const set of sets) {
      for (const rule of set.rules) {
        const where = at(set.origin.file, rule.key, rule.line);
        if (!SOURCE_REGEX.test(rule.source)) {
          out.push({ code: 'invalid-source', message: `invalid format for source ${goQuote(rule.source)}`, ...where, key: `${rule.key}.source` });
          continue;
        }
        const policy = rule.mirrorSourcePolicy === '' ? 'AllowContactingSource' : rule.mirrorSourcePolicy;
        const seen = policyOf.get(rule.source);
        if (seen === undefined) policyOf.set(rule.source, policy);
        else if (seen !== policy) {
          out.push({
            code: 'conflicting-mirror-source-policy',
            message: `conflicting mirrorSourcePolicy is set for the same source ${goQuote(rule.source)} in imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies`,
            ...where,
            key: `${rule.key}.mirrorSourcePolicy`,
          });
          continue;
        }
        for (const [j, m] of rule.mirrors.entries()) {
          if (!MIRROR_REGEX.test(m)) {
            out.push({ code: 'invalid-mirror', message: `invalid format for mirror ${goQuote(m)}`, ...where, key: `${rule.key}.mirrors[${j}]` });
            break;
          }
          if (policy === 'NeverContactSource' && m === rule.source) {
            out.push({
              code: 'never-contact-source-is-mirror',
              message: `cannot set mirrorSourcePolicy: NeverContactSource if the source ${goQuote(rule.source)} is one of the mirrors`,
              ...where,
              key: `${rule.key}.mirrors[${j}]`,
            });
            break;
          }
        }
      }
    }
  };
  // ICSPs are converted and appended after the IDMSs, so a policy conflict is reported on the ICSP.
  checkSets(objs.idms);
  checkSets(objs.icsp);
  checkSets(objs.itms);

  const allowed = opts.allowed ?? [];
  const blocked = opts.policyBlocked ?? [];
  if (allowed.length > 0 && blocked.length > 0 && !(allowed.length === 1 && allowed[0] === opts.payloadRepo)) {
    out.push({ code: 'allowed-and-blocked', message: ERR_ALLOWED_AND_BLOCKED, ...at(file, 'spec.registrySources') });
  }
  scopeList(rs?.allowedRegistries, 'allowedRegistries', 'allowed');
  return out;
}

function at(file: string | undefined, key: string, line?: number): { file?: string; key: string; line?: number } {
  const l = line !== undefined ? { line } : {};
  return file === undefined ? { key, ...l } : { file, key, ...l };
}
