import { MeshformError, type ErrorLocation } from './errors.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for an RFC 1123 label: what Kubernetes accepts as a Service or Namespace name. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

/** True for an RFC 1123 subdomain: what Kubernetes accepts as most object names. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** Lower-cases and replaces what a DNS label cannot hold, for a suggestion in an error. */
export function toDnsLabel(value: string): string {
  const label = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'x';
}

/** Throws a MeshformError unless `value` is a DNS-1123 label. */
export function assertDnsLabel(value: string, location: ErrorLocation): string {
  if (!isDnsLabel(value)) {
    throw new MeshformError(
      `"${value}" is not a valid name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
      { fix: `Did you mean "${toDnsLabel(value)}"?`, ...location },
    );
  }
  return value;
}

// The reference grammar of container images (distribution/reference): an optional registry host,
// lower-case path components, an optional tag and digest.
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\\d+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

/** True for an image reference a container runtime pulls, e.g. `registry.example.com:5000/team/app:1.2@sha256:…`. */
export function isImageReference(value: string): boolean {
  return value.length <= 4096 && IMAGE_REFERENCE.test(value);
}
