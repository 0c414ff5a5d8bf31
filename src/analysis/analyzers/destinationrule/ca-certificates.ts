// Follows Istio's pkg/config/analysis/analyzers/destinationrule/ca-certificates.go.
import type { Analyzer } from '../../context.js';
import { type KubeObject, nameOf, namespaceOf } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';

/** Client TLS (SIMPLE or MUTUAL) that does not verify the server: no caCertificates (IST0128, IST0129). */
export const caCertificateAnalyzer: Analyzer = {
  name: 'destinationrule.CaCertificateAnalyzer',
  codes: ['IST0128', 'IST0129'],
  goFile: 'destinationrule/ca-certificates.go',
  analyze(context) {
    for (const rule of context.index.ofKind(KINDS.DestinationRule)) {
      const args = [`${namespaceOf(rule)}/${nameOf(rule)}`, namespaceOf(rule)];
      const tls = rule.spec?.trafficPolicy?.tls;
      if (unverified(rule, tls)) {
        context.report('NoServerCertificateVerificationDestinationLevel', rule, [...args, tls.mode, rule.spec?.host], 'spec.trafficPolicy.tls');
      }
      (rule.spec?.trafficPolicy?.portLevelSettings ?? []).forEach((setting: any, index: number) => {
        if (unverified(rule, setting?.tls)) {
          const port = `number:${setting?.port?.number}`;
          context.report('NoServerCertificateVerificationPortLevel', rule, [...args, setting.tls.mode, rule.spec?.host, port], `spec.trafficPolicy.portLevelSettings[${index}].tls`);
        }
      });
    }
  },
};

function unverified(rule: KubeObject, tls: any): boolean {
  if (tls?.mode !== 'SIMPLE' && tls?.mode !== 'MUTUAL') return false;
  // ca-certificates.go asks only for caCertificates: insecureSkipVerify does not quiet it.
  if (tls.caCertificates) return false;
  // With a workload selector the CA comes from the credential's Secret.
  return !(tls.credentialName && rule.spec?.workloadSelector);
}
