import type { Construct } from 'constructs';
import { MeshApiObject } from '../../../imports/mesh-api-object.js';
import { assertDnsLabel, type ErrorLocation, MeshformError } from '../../core/index.js';

/** A cert-manager issuer: the CA or ACME account that signs the certificate. */
export interface CertificateIssuer {
  /** Name of the Issuer or ClusterIssuer. */
  readonly name: string;
  /**
   * `ClusterIssuer` (cluster-wide) or `Issuer` (in the certificate's namespace).
   * @default 'ClusterIssuer'
   */
  readonly kind?: 'Issuer' | 'ClusterIssuer';
}

/** A certificate that cert-manager issues into the Secret a listener reads. */
export interface CertificateOptions {
  readonly issuer: CertificateIssuer;
  /**
   * Lifetime of the certificate, in Go's duration form (`2160h`).
   * @default - the issuer's (90 days for most)
   */
  readonly duration?: string;
  /**
   * How long before expiry cert-manager renews it (`360h`).
   * @default - a third of its lifetime
   */
  readonly renewBefore?: string;
}

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * A cert-manager `Certificate` whose Secret (`secretName`) is the credential a gateway listener or
 * DestinationRule names: in the namespace of the proxies that read it, for the DNS names given.
 */
export function issueCertificate(
  scope: Construct,
  id: string,
  spec: { readonly name: string; readonly namespace: string; readonly secretName: string; readonly dnsNames: readonly string[]; readonly options: CertificateOptions },
  location: ErrorLocation,
): MeshApiObject {
  const { issuer, duration, renewBefore } = spec.options;
  const at = (field: string): ErrorLocation => ({ ...location, field: `${location.field}.${field}` });
  if (!issuer || typeof issuer.name !== 'string') throw new MeshformError('the certificate names no issuer', { ...at('issuer'), fix: "Give issuer: { name: 'letsencrypt', kind: 'ClusterIssuer' }." });
  assertDnsLabel(issuer.name, at('issuer.name'));
  const kind = issuer.kind ?? 'ClusterIssuer';
  if (kind !== 'Issuer' && kind !== 'ClusterIssuer') throw new MeshformError(`issuer kind "${String(kind)}" is not known`, { ...at('issuer.kind'), fix: "Use 'Issuer' or 'ClusterIssuer'." });
  for (const [field, value] of [['duration', duration], ['renewBefore', renewBefore]] as const) {
    if (value !== undefined && !GO_DURATION.test(value)) throw new MeshformError(`${field} "${value}" is not a duration`, { ...at(field), fix: "Give Go's form, e.g. '2160h' or '360h'." });
  }
  const dnsNames = [...new Set(spec.dnsNames)];
  const bare = dnsNames.find((name) => name === '*' || !name.includes('.'));
  if (bare !== undefined) {
    throw new MeshformError(`"${bare}" cannot be a certificate's DNS name`, { ...location, fix: 'Serve named hosts (a wildcard such as *.example.com is fine) on the HTTPS listener, or give credentialName without certificate.' });
  }
  return new MeshApiObject(scope, id, {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: {
      secretName: spec.secretName,
      dnsNames,
      issuerRef: { name: issuer.name, kind, group: 'cert-manager.io' },
      ...(duration ? { duration } : {}),
      ...(renewBefore ? { renewBefore } : {}),
    },
  });
}
