/**
 * Wraps deploy/prometheus/rules.yaml (plain rule groups, what promtool reads) into the Prometheus Operator's
 * PrometheusRule object, deploy/prometheus/prometheusrule.yaml. The groups are one source: edit rules.yaml,
 * then run `npx tsx tools/gen-prometheusrule.ts`; test/deploy/prometheus-rules.test.ts fails while the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const RULES = fileURLToPath(new URL('../deploy/prometheus/rules.yaml', import.meta.url));
export const PROMETHEUS_RULE = fileURLToPath(new URL('../deploy/prometheus/prometheusrule.yaml', import.meta.url));

export function prometheusRuleText(rulesYaml: string): string {
  const { groups } = parse(rulesYaml) as { groups: unknown[] };
  const object = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'pullpath',
      labels: { 'app.kubernetes.io/name': 'pullpath', 'app.kubernetes.io/part-of': 'pullpath' },
    },
    spec: { groups },
  };
  return `# Generated from rules.yaml by tools/gen-prometheusrule.ts: edit rules.yaml, then regenerate.\n${stringify(object, { lineWidth: 0 })}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(PROMETHEUS_RULE, prometheusRuleText(readFileSync(RULES, 'utf8')));
  console.log(`wrote ${PROMETHEUS_RULE}`);
}
