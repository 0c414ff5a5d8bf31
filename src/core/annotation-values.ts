import { isIP } from 'node:net';
import { parse } from 'yaml';
import { proxyConfigProblems } from './manifests/mesh-config.js';

/** Checks one annotation value; returns the problem, or undefined when the value is valid. */
export type AnnotationValidator = (value: string) => string | undefined;

function uint32(value: string): string | undefined {
  return /^\d+$/.test(value) && Number(value) <= 0xffffffff ? undefined : 'not a whole number from 0 to 4294967295';
}

function bool(value: string): string | undefined {
  return ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)
    ? undefined
    : `${JSON.stringify(value)} is not a boolean`;
}

/** True for `a.b.c.d/n` or an IPv6 prefix. */
export function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

// Lists as validate.go splits them: on ',', an empty value is an empty list, an empty entry is an error.
function entries(value: string): string[] {
  return value === '' ? [] : value.split(',');
}

function cidrList(value: string): string | undefined {
  // netip.ParsePrefix: no spaces, no leading zeros in the prefix length.
  const bad = entries(value).filter((entry) => !isCidr(entry) || /\/0\d/.test(entry));
  return bad.length === 0 ? undefined : `${bad.map((b) => JSON.stringify(b)).join(', ')} is not a CIDR range`;
}

function port(entry: string): boolean {
  const trimmed = entry.trim();
  return /^\d{1,5}$/.test(trimmed) && Number(trimmed) <= 65535;
}

function portList(value: string): string | undefined {
  const bad = entries(value.trim()).filter((entry) => !port(entry));
  return bad.length === 0 ? undefined : `${bad.map((b) => JSON.stringify(b)).join(', ')} is not a port number`;
}

function interfaceNames(value: string): string | undefined {
  for (const name of entries(value).map((entry) => entry.trim())) {
    if (name === '') return 'empty interface name';
    if (name.length > 15) return `interface name ${JSON.stringify(name)} too long (max 15 chars)`;
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(name)) return `interface name ${JSON.stringify(name)} contains invalid characters`;
  }
  return undefined;
}

/** A Kubernetes resource quantity (`100m`, `1.5Gi`, `2e3`), as resource.ParseQuantity reads one. */
export function isQuantity(value: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.test(value);
}

function quantity(value: string): string | undefined {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return 'value contains control characters';
  return isQuantity(value) ? undefined : `${JSON.stringify(value)} is not a quantity such as 100m or 128Mi`;
}

const orWildcard =
  (validate: AnnotationValidator): AnnotationValidator =>
  (value) =>
    value.trim() === '*' ? undefined : validate(value);

/** The annotations that set the proxy's requests and limits: Kubernetes quantities. */
export const PROXY_RESOURCE_ANNOTATIONS: readonly string[] = ['sidecar.istio.io/proxyCPU', 'sidecar.istio.io/proxyMemory', 'sidecar.istio.io/proxyCPULimit', 'sidecar.istio.io/proxyMemoryLimit'];

/** Validators of the annotations whose values Istio's injector parses (validate.go's AnnotationValidation). */
export const ANNOTATION_VALIDATORS: ReadonlyMap<string, AnnotationValidator> = new Map<string, AnnotationValidator>([
  ['sidecar.istio.io/interceptionMode', (v) => (['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : `interceptionMode ${JSON.stringify(v)} is not REDIRECT, TPROXY or NONE`)],
  ['status.sidecar.istio.io/port', (v) => (port(v) ? undefined : `${JSON.stringify(v)} is not a port number`)],
  ['readiness.status.sidecar.istio.io/initialDelaySeconds', uint32],
  ['readiness.status.sidecar.istio.io/periodSeconds', uint32],
  ['readiness.status.sidecar.istio.io/failureThreshold', uint32],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', orWildcard(cidrList)],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', cidrList],
  ['traffic.sidecar.istio.io/includeInboundPorts', orWildcard(portList)],
  ['traffic.sidecar.istio.io/excludeInboundPorts', portList],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', portList],
  ['traffic.sidecar.istio.io/excludeInterfaces', interfaceNames],
  ['traffic.sidecar.istio.io/kubevirtInterfaces', interfaceNames],
  ['istio.io/reroute-virtual-interfaces', interfaceNames],
  ['prometheus.istio.io/merge-metrics', bool],
  ...PROXY_RESOURCE_ANNOTATIONS.map((name): [string, AnnotationValidator] => [name, quantity]),
  [
    'proxy.istio.io/config',
    (v) => {
      try {
        const value = parse(v);
        if (value === null) return undefined;
        if (typeof value !== 'object' || Array.isArray(value)) return 'not a ProxyConfig map';
        return proxyConfigProblems(value).join('; ') || undefined;
      } catch (error) {
        return (error as Error).message.split('\n')[0];
      }
    },
  ],
]);
