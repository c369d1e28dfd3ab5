/**
 * The MCO's stock base files (`templates/<role>/01-<role>-container-runtime/_base/files/
 * container-registries.yaml` and `policy.yaml`, identical for master, worker and arbiter): the node keeps
 * them unchanged unless the image config, ICSP, IDMS or ITMS ask for a regenerated file.
 * Byte for byte as the MCO reads them (see template-inline.ts): registries.conf ends with a line break,
 * policy.json does not (255 bytes ending in `}`), because policy.yaml has none after its last line.
 * Checked against machine-config-operator@7ff337a4 in test/openshift/templates.test.ts.
 */

export const STOCK_REGISTRIES_CONF = "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n";

export const STOCK_POLICY_JSON = `{
    "default": [
        {
            "type": "insecureAcceptAnything"
        }
    ],
    "transports":
        {
            "docker-daemon":
                {
                    "": [{"type":"insecureAcceptAnything"}]
                }
        }
}`;

export interface Templates {
  registriesConf: string;
  registriesConfFile: string;
  policyJson: string;
  policyJsonFile: string;
}

export function stockTemplates(): Templates {
  return {
    registriesConf: STOCK_REGISTRIES_CONF,
    registriesConfFile: '(stock template) /etc/containers/registries.conf',
    policyJson: STOCK_POLICY_JSON,
    policyJsonFile: '(stock template) /etc/containers/policy.json',
  };
}
