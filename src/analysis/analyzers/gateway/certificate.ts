// Follows Istio's pkg/config/analysis/analyzers/gateway/certificate.go.
import type { Analyzer } from '../../context.js';
import { appendTo, nameOf, namespaceOf } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';
import { selectorCovers } from '../../resources/selectors.js';

/**
 * The same certificate on two Gateways served by the same pods (IST0138): browsers reuse the
 * HTTP/2 connection for both hosts and get 404s from the wrong server block.
 */
export const gatewayCertificateAnalyzer: Analyzer = {
  name: 'gateway.CertificateAnalyzer',
  codes: ['IST0138'],
  goFile: 'gateway/certificate.go',
  analyze(context) {
    const gateways = context.index.ofKind(KINDS.Gateway);
    // Only Gateways that share a certificate can clash: the pairs are found through an index of them.
    const byCertificate = new Map<string, number[]>();
    gateways.forEach((gateway, index) => {
      for (const key of new Set(((gateway.spec?.servers ?? []) as any[]).map((server) => certificateKey(server?.tls)).filter((key) => key !== undefined))) {
        appendTo(byCertificate, key, index);
      }
    });
    for (const current of gateways) {
      const keys = new Set(((current.spec?.servers ?? []) as any[]).map((server) => certificateKey(server?.tls)).filter((key) => key !== undefined));
      const candidates = [...new Set([...keys].flatMap((key) => byCertificate.get(key) ?? []))].sort((a, b) => a - b).map((index) => gateways[index]!);
      for (const other of candidates) {
        if (other === current || !selectorCovers(current.spec?.selector, other.spec?.selector)) continue;
        for (const server of current.spec?.servers ?? []) {
          for (const otherServer of other.spec?.servers ?? []) {
            if (server?.tls && otherServer?.tls && sameCertificate(server.tls, otherServer.tls)) {
              const names = [`${namespaceOf(current)}/${nameOf(current)}`, `${namespaceOf(other)}/${nameOf(other)}`];
              context.report('GatewayDuplicateCertificate', current, [names]);
            }
          }
        }
      }
    }
  },
};

/** What two servers' TLS settings must share to be the same certificate (sameCertificate), or undefined when nothing can match. */
function certificateKey(tls: any): string | undefined {
  if (!tls) return undefined;
  if (tls.credentialName) return `secret\u0000${tls.credentialName}`;
  if (tls.serverCertificate && tls.privateKey) return `file\u0000${tls.serverCertificate}\u0000${tls.privateKey}`;
  return undefined;
}

function sameCertificate(a: any, b: any): boolean {
  if (a.credentialName && b.credentialName) return a.credentialName === b.credentialName;
  // File certificates are the same only with the same private key, both given (certificate.go).
  if (!a.credentialName && !b.credentialName && a.serverCertificate && b.serverCertificate && a.serverCertificate === b.serverCertificate) {
    return Boolean(a.privateKey && b.privateKey) && a.privateKey === b.privateKey;
  }
  return false;
}
