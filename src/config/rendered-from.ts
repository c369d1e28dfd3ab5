/**
 * How an item rendered from OpenShift cluster objects names its source, in every command and in JSON:
 * `ImageDigestMirrorSet/release idms.yaml:22 (rendered)` — the object and its file:line, never the node path
 * (which on the user's machine is a real, different file).
 */
import type { RenderedFrom } from './types.ts';

export function formatRenderedFrom(list: readonly RenderedFrom[]): string {
  const one = (r: RenderedFrom): string => {
    const at = r.line !== undefined ? `${r.file}:${r.line}` : r.file;
    return r.object ? `${r.object} ${at}` : at;
  };
  return `${list.map(one).join(', ')} (rendered)`;
}
