/**
 * The text of an MCO template file's `contents.inline`, as the MCO reads it. The MCO parses its templates
 * with github.com/ghodss/yaml (go-yaml v2; `TranspileCoreOSConfigToIgn` in pkg/controller/common/helpers.go),
 * whose block scalars keep a final line break only when the source has one: the stock `policy.yaml` ends at
 * `}` with no line break, so the node's policy.json is 255 bytes without a final newline. The npm `yaml`
 * parser adds a line break there for `|` and `|+`, so we take it back off when the source has none.
 */
import { isScalar, parseDocument } from 'yaml';

/** null when the text has no string `contents.inline`. */
export function templateInline(text: string): string | null {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return null;
  const node = doc.getIn(['contents', 'inline'], true);
  if (!isScalar(node) || typeof node.value !== 'string') return null;
  const value = node.value;
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  const range = node.range;
  if (block && range && value.endsWith('\n')) {
    const source = text.slice(range[0], range[1]);
    if (!/[\r\n]$/.test(source)) return value.slice(0, -1);
  }
  return value;
}
