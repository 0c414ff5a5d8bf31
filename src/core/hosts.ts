import { MeshformError, type ErrorLocation } from './errors.js';
import { isDnsSubdomain } from './names.js';

/** The cluster DNS suffix Istio assumes unless the mesh says otherwise. */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** `reviews` in `shop` → `reviews.shop.svc.cluster.local`. */
export function serviceFqdn(name: string, namespace: string, domain = DEFAULT_CLUSTER_DOMAIN): string {
  return `${name}.${namespace}.svc.${domain}`;
}

/**
 * Resolves a host as Istio does for a config in `namespace`: a short name (no dot) is a
 * Kubernetes Service in that namespace; anything else, including wildcards, is taken as written.
 */
export function resolveHost(host: string, namespace: string, domain = DEFAULT_CLUSTER_DOMAIN): string {
  // As Istio's ConvertHostToFQDN: wildcards and names with a dot stay as written.
  if (host.startsWith('*') || host.includes('.')) return host;
  return serviceFqdn(host, namespace, domain);
}

/** The Service a cluster-local host names, or undefined for an external or wildcard host. */
export function parseServiceHost(
  fqdn: string,
  domain = DEFAULT_CLUSTER_DOMAIN,
): { name: string; namespace: string } | undefined {
  const suffix = `.svc.${domain}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  if (parts.length !== 2 || parts.some((part) => part === '' || part === '*')) return undefined;
  return { name: parts[0]!, namespace: parts[1]! };
}

/** Splits a Gateway server host (`ns/host`, `./host`, `*\/host`) into namespace and host. */
export function splitGatewayHost(entry: string): { namespace: string; host: string } {
  const slash = entry.indexOf('/');
  return slash < 0 ? { namespace: '*', host: entry } : { namespace: entry.slice(0, slash), host: entry.slice(slash + 1) };
}

/**
 * True when host `a` and host `b` can name the same request host: equal, or one is a wildcard
 * (`*.example.com`, `*`) that covers the other.
 */
export function hostsIntersect(a: string, b: string): boolean {
  return wildcardCovers(a, b) || wildcardCovers(b, a);
}

/** True when `pattern` (possibly `*` or `*.suffix`) covers every name `host` can stand for. */
export function wildcardCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*' || p === h) return true;
  if (!p.startsWith('*')) return false;
  const suffix = p.slice(1);
  if (h.startsWith('*')) return h.slice(1).endsWith(suffix);
  return h.endsWith(suffix) && h.length > suffix.length;
}

/** Checks the full DNS name of a host outside the cluster (no scheme, no wildcard). */
export function assertExternalHost(value: string, location: ErrorLocation): string {
  if (typeof value !== 'string' || !isDnsSubdomain(value) || !value.includes('.')) {
    throw new MeshformError(`"${String(value)}" is not an external host name`, {
      ...location,
      fix: "Give the host's full DNS name without scheme or wildcard, e.g. 'api.stripe.com'.",
    });
  }
  return value;
}
