/**
 * Image lists for `verify --images FILE` (one reference a line) and `--release FILE` (an OpenShift
 * release or operator image list: references by digest). Blank lines and `#` comments are skipped;
 * `oc adm release info --pullspecs` style lines (`NAME  REF`) and oc-mirror `mapping.txt` lines
 * (`SRC=DST`) take the source reference. Errors name the file and line.
 */
import { ConfigError } from '../errors.ts';

export interface ListedImage {
  ref: string;
  file: string;
  line: number;
}

export function parseImageList(text: string, file: string, opts: { requireDigest: boolean }): ListedImage[] {
  const out: ListedImage[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/#.*$/, '').trim();
    if (raw === '') continue;
    let ref = raw;
    if (ref.includes('=')) ref = ref.slice(0, ref.indexOf('=')).trim(); // mapping.txt: SRC=DST
    const fields = ref.split(/\s+/);
    ref = fields.length > 1 ? fields[fields.length - 1]! : fields[0]!; // "NAME  REF": the reference is last
    if (opts.requireDigest && !/@sha256:[0-9a-f]{64}$/.test(ref)) {
      throw new ConfigError(`${file}:${i + 1}: "${ref}" is not pinned by digest (a release/operator list must be NAME@sha256:<64 hex>)`, { file, line: i + 1, code: 'PP_ERR_IMAGE_LIST' });
    }
    out.push({ ref, file, line: i + 1 });
  }
  return out;
}
