import { isIP } from 'node:net';
import { parse } from 'yaml';

/** Checks one annotation value; returns the problem, or undefined when the value is valid. */
export type AnnotationValidator = (value: string) => string | undefined;

function uint32(value: string): string | undefined {
  return /^\d+$/.test(value) && Number(value) <= 0xffffffff ? undefined : `strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`;
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

function cidrList(value: string): string | undefined {
  const bad = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !isCidr(entry));
  return bad.length === 0 ? undefined : `${bad.map((b) => JSON.stringify(b)).join(', ')} is not a CIDR range`;
}

function portList(value: string): string | undefined {
  const bad = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !(/^\d+$/.test(entry) && Number(entry) <= 65535));
  return bad.length === 0 ? undefined : `${bad.map((b) => JSON.stringify(b)).join(', ')} is not a port number`;
}

const orWildcard =
  (validate: AnnotationValidator): AnnotationValidator =>
  (value) =>
    value.trim() === '*' ? undefined : validate(value);

/** Validators of the annotations whose values Istio's injector parses. */
export const ANNOTATION_VALIDATORS: ReadonlyMap<string, AnnotationValidator> = new Map<string, AnnotationValidator>([
  ['sidecar.istio.io/interceptionMode', (v) => (['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : `interceptionMode ${JSON.stringify(v)} is not REDIRECT, TPROXY or NONE`)],
  [
    'status.sidecar.istio.io/port',
    (v) => (/^\d+$/.test(v) && Number(v) >= 1024 && Number(v) <= 65535 ? undefined : `port number ${v} must be in the range 1024..65535`),
  ],
  ['readiness.status.sidecar.istio.io/initialDelaySeconds', uint32],
  ['readiness.status.sidecar.istio.io/periodSeconds', uint32],
  ['readiness.status.sidecar.istio.io/failureThreshold', uint32],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', orWildcard(cidrList)],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', cidrList],
  ['traffic.sidecar.istio.io/includeInboundPorts', orWildcard(portList)],
  ['traffic.sidecar.istio.io/excludeInboundPorts', portList],
  ['traffic.sidecar.istio.io/includeOutboundPorts', portList],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', portList],
  ['prometheus.istio.io/merge-metrics', bool],
  [
    'proxy.istio.io/config',
    (v) => {
      try {
        const value = parse(v);
        return value === null || (typeof value === 'object' && !Array.isArray(value)) ? undefined : 'not a ProxyConfig map';
      } catch (error) {
        return (error as Error).message.split('\n')[0];
      }
    },
  ],
]);
