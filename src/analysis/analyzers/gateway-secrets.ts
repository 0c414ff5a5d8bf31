import type { Analyzer } from '../context.js';
import { KINDS } from '../resource-index.js';
import { selectorString } from '../selectors.js';

/**
 * The `credentialName` of a Gateway's TLS server must name a Secret in the gateway pods'
 * namespace (IST0101) holding a certificate and key (IST0161).
 */
export const gatewaySecretAnalyzer: Analyzer = {
  name: 'gateway.SecretAnalyzer',
  codes: ['IST0101', 'IST0161'],
  analyze(context) {
    for (const gateway of context.index.ofKind(KINDS.Gateway)) {
      const selector = gateway.spec?.selector ?? {};
      const namespaces = new Set(context.index.podsMatching(selector).map((pod) => pod.namespace));
      if (namespaces.size !== 1) {
        context.report('ReferencedResourceNotFound', gateway, ['selector', selectorString(selector)], 'spec.selector');
        continue;
      }
      const [namespace] = [...namespaces];
      (gateway.spec?.servers ?? []).forEach((server: any, index: number) => {
        const credential: string | undefined = server?.tls?.credentialName;
        if (!credential) return;
        // A credential of another namespace is written "namespace/name".
        const [secretNamespace, secretName] = credential.includes('/') ? credential.split('/', 2) : [namespace!, credential];
        const secret = context.index.find(KINDS.Secret, secretNamespace!, secretName!);
        const path = `spec.servers[${index}].tls.credentialName`;
        if (!secret) {
          context.report('ReferencedResourceNotFound', gateway, ['credentialName', credential], path);
        } else if (!holdsCertificate(secret)) {
          context.report('InvalidGatewayCredential', gateway, [gateway.metadata?.name, namespace], path);
        }
      });
    }
  },
};

function holdsCertificate(secret: { readonly [key: string]: unknown }): boolean {
  const data = { ...(secret.data as object), ...(secret.stringData as object) } as Record<string, unknown>;
  const pairs = [
    ['tls.crt', 'tls.key'],
    ['cert', 'key'],
  ];
  return pairs.some(([cert, key]) => Boolean(data[cert!]) && Boolean(data[key!])) || Boolean(data['cacert']) || Boolean(data['ca.crt']);
}
