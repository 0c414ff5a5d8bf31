// Follows Istio's pkg/config/analysis/analyzers/gateway/secret.go.
import { X509Certificate } from 'node:crypto';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

/**
 * The `credentialName` of a Gateway's TLS server must name a Secret in the gateway pods'
 * namespace (IST0101) holding a certificate and key (IST0161). Unlike Istio, a cert-manager
 * Certificate there whose `secretName` is the credential counts as that Secret: cert-manager
 * writes it, with `tls.crt` and `tls.key`, once the certificate is issued (as pod templates
 * count as the pods they will run).
 */
export const gatewaySecretAnalyzer: Analyzer = {
  name: 'gateway.SecretAnalyzer',
  codes: ['IST0101', 'IST0161'],
  goFile: 'gateway/secret.go',
  analyze(context) {
    const issued = new Set(context.index.ofKind(KINDS.Certificate).map((certificate) => `${certificate.metadata?.namespace ?? ''}/${String(certificate.spec?.secretName ?? '')}`));
    for (const gateway of context.index.ofKind(KINDS.Gateway)) {
      const selector = gateway.spec?.selector ?? {};
      // The namespace of the first pod the selector matches, as secret.go's getGatewayNamespace takes it.
      const namespace = context.index.podsMatching(selector)[0]?.namespace;
      if (namespace === undefined) {
        context.report('ReferencedResourceNotFound', gateway, ['selector', selectorString(selector)], 'spec.selector');
        continue;
      }
      (gateway.spec?.servers ?? []).forEach((server: any, index: number) => {
        const credential: string | undefined = server?.tls?.credentialName;
        if (!credential) return;
        // A credential of another namespace is written "namespace/name".
        const [secretNamespace, secretName] = credential.includes('/') ? credential.split('/', 2) : [namespace, credential];
        const secret = context.index.find(KINDS.Secret, secretNamespace!, secretName!);
        const path = `spec.servers[${index}].tls.credentialName`;
        if (!secret && issued.has(`${secretNamespace}/${secretName}`)) return;
        if (!secret) {
          // Gateways read credentials from their pods' namespace, not the Gateway object's.
          context.report('ReferencedResourceNotFound', gateway, ['credentialName', credential], path, `Create the Secret ${secretName} in namespace ${secretNamespace}, where the gateway pods run, with tls.crt and tls.key (or a cert-manager Certificate with that secretName there).`);
        } else if (!holdsCertificate(secret)) {
          context.report('InvalidGatewayCredential', gateway, [gateway.metadata?.name, namespace], path);
        }
      });
    }
  },
};

/** The Secret's entries as text: `data` is base64, `stringData` plain. */
function secretEntries(secret: { readonly [key: string]: unknown }): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries((secret.data as Record<string, unknown>) ?? {})) {
    if (typeof value === 'string') entries.set(key, Buffer.from(value, 'base64').toString('utf8'));
  }
  for (const [key, value] of Object.entries((secret.stringData as Record<string, unknown>) ?? {})) {
    if (typeof value === 'string') entries.set(key, value);
  }
  return entries;
}

/**
 * True when the Secret holds what a gateway needs, as Istio's ExtractCertInfo reads it: a
 * certificate and key (`cert`/`key` first, else `tls.crt`/`tls.key`) where the certificate is a
 * parsable X.509 PEM.
 */
function holdsCertificate(secret: { readonly [key: string]: unknown }): boolean {
  const entries = secretEntries(secret);
  for (const [cert, key] of [['cert', 'key'], ['tls.crt', 'tls.key']] as const) {
    const pem = entries.get(cert);
    if (!pem || !entries.get(key)) continue;
    try {
      new X509Certificate(pem);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}
