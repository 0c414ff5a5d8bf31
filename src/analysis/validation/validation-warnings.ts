/**
 * The warnings of Istio's config validation (pkg/config/validation), which the schema analyzer
 * reports as IST0133. Istio drops a warning wherever a helper folds its result with
 * `appendErrors` (subset and port-level traffic policies, fault aborts, HTTP and TCP match
 * gateways), so those places warn of nothing here either.
 */
import type { DestinationRuleSpec, GatewaySpec, ServiceEntrySpec, SidecarSpec } from '../../../imports/networking.istio.io.js';
import type { RequestAuthenticationSpec } from '../../../imports/security.istio.io.js';
import type { TelemetrySpec } from '../../../imports/telemetry.istio.io.js';
import { kindKey, type KubeObject } from '../../core/index.js';
import { KINDS } from '../resources/resource-index.js';
import { isGoIp } from './go-url.js';

/** One warning of Istio's validation, at the field it concerns. */
export interface ValidationWarning {
  readonly path: string;
  readonly message: string;
}

type ServerTls = NonNullable<NonNullable<GatewaySpec['servers']>[number]['tls']>;
type TrafficPolicy = NonNullable<DestinationRuleSpec['trafficPolicy']>;

/** Gateway.server.tls.cipherSuites that Envoy's BoringSSL knows (security.ValidCipherSuites). */
const VALID_CIPHER_SUITES: ReadonlySet<string> = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA',
  'AES256-SHA',
  'DES-CBC3-SHA',
]);

/** Istio's protocol.Parse(...).IsHTTP(): the names, in any case, of the protocols routed per request. */
const HTTP_PROTOCOLS: ReadonlySet<string> = new Set(['http', 'http2', 'http_proxy', 'grpc', 'grpc-web']);

/** Istio's protocol.Parse(...).IsTCP(). */
const TCP_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'https', 'tls', 'mongo', 'redis', 'mysql']);

const isHttpProtocol = (protocol: string | undefined): boolean => HTTP_PROTOCOLS.has((protocol ?? '').toLowerCase());

const SELECTOR_WITHOUT_LABELS = 'workload selector specified without labels';

/** Go's sets.SortedList printed by %v: `[a b]`. */
const goList = (values: Iterable<string>): string => `[${[...values].sort().join(' ')}]`;

/** The warnings Istio's validation gives `object`, for the kinds whose validation warns. */
export function validationWarnings(object: KubeObject): ValidationWarning[] {
  const spec: unknown = object.spec ?? {};
  switch (kindKey(object)) {
    case KINDS.Gateway:
      return gatewayWarnings(spec as GatewaySpec);
    case KINDS.Sidecar:
      return sidecarWarnings(spec as SidecarSpec);
    case KINDS.DestinationRule:
      return destinationRuleWarnings(spec as DestinationRuleSpec);
    case KINDS.VirtualService:
      return virtualServiceWarnings(spec as VirtualServiceWarningFields);
    case KINDS.ServiceEntry:
      return serviceEntryWarnings(spec as ServiceEntrySpec);
    case KINDS.EnvoyFilter:
      return envoyFilterWarnings(spec as { workloadSelector?: { labels?: Record<string, string> } });
    case KINDS.Telemetry:
      return [...selectorWarnings((spec as SelectorFields).selector), ...telemetryWarnings(spec as TelemetrySpec)];
    case KINDS.RequestAuthentication:
      return [...selectorWarnings((spec as SelectorFields).selector), ...jwksWarnings(spec as RequestAuthenticationSpec)];
    case KINDS.AuthorizationPolicy:
    case KINDS.PeerAuthentication:
    case KINDS.ProxyConfig:
    case KINDS.WasmPlugin:
      return selectorWarnings((spec as SelectorFields).selector);
    case KINDS.WorkloadEntry:
      return workloadEntryWarnings(spec as { address?: string; network?: string });
    default:
      return [];
  }
}

interface SelectorFields {
  selector?: { matchLabels?: Record<string, string> };
}

/** validateWorkloadSelector: a selector with no labels selects the whole namespace. */
function selectorWarnings(selector: { matchLabels?: Record<string, string> } | undefined, path = 'spec.selector'): ValidationWarning[] {
  if (!selector || Object.keys(selector.matchLabels ?? {}).length > 0) return [];
  return [{ path, message: SELECTOR_WITHOUT_LABELS }];
}

/** ValidateAlphaWorkloadSelector, as the Sidecar, ServiceEntry and EnvoyFilter validations word it. */
function alphaSelectorWarning(selector: { labels?: Record<string, string> } | undefined, subject: string): ValidationWarning[] {
  if (!selector || Object.keys(selector.labels ?? {}).length > 0) return [];
  return [{ path: 'spec.workloadSelector', message: `${subject}: ${SELECTOR_WITHOUT_LABELS}, will be applied to all services in namespace` }];
}

function gatewayWarnings(spec: GatewaySpec): ValidationWarning[] {
  const warnings: ValidationWarning[] = [];
  (spec.servers ?? []).forEach((server, index) => {
    if (!server) return;
    warnings.push(...tlsOptionWarnings(server.tls, `spec.servers[${index}].tls`));
  });
  (spec.servers ?? []).forEach((server, index) => {
    if (server?.port && !isHttpProtocol(server.port.protocol) && server.tls?.httpsRedirect) {
      warnings.push({ path: `spec.servers[${index}].tls.httpsRedirect`, message: 'tls.httpsRedirect should only be used with http servers' });
    }
  });
  return warnings;
}

/** validateTLSOptions of a Gateway server or a Sidecar ingress listener. */
function tlsOptionWarnings(tls: ServerTls | undefined, path: string): ValidationWarning[] {
  if (!tls) return [];
  const warnings: ValidationWarning[] = [];
  const ciphers = tls.cipherSuites ?? [];
  if ((tls.minProtocolVersion === 'TLSV1_0' || tls.minProtocolVersion === 'TLSV1_1') && ciphers.length === 0) {
    warnings.push({ path: `${path}.minProtocolVersion`, message: 'TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.' });
  }
  const invalid = new Set<string>();
  const valid = new Set<string>();
  const duplicate = new Set<string>();
  for (const cipher of ciphers) {
    // An empty name, ALL, or one that starts with an operator (`-`, `+`, `!`) is passed to BoringSSL as it is.
    const passedOn = cipher === '' || cipher === 'ALL' || !/^[\p{L}\p{N}]/u.test(cipher);
    if (!passedOn && !VALID_CIPHER_SUITES.has(cipher)) invalid.add(cipher);
    else if (valid.has(cipher)) duplicate.add(cipher);
    else valid.add(cipher);
  }
  if (invalid.size > 0) warnings.push({ path: `${path}.cipherSuites`, message: `ignoring invalid cipher suites: ${goList(invalid)}` });
  if (duplicate.size > 0) warnings.push({ path: `${path}.cipherSuites`, message: `ignoring duplicate cipher suites: ${goList(duplicate)}` });
  if (tls.mode === 'ISTIO_MUTUAL') return warnings;
  if (tls.mode === 'PASSTHROUGH' || tls.mode === 'AUTO_PASSTHROUGH') {
    const certificates =
      tls.caCrl || tls.serverCertificate || tls.privateKey || tls.caCertificates || (tls.tlsCertificates ?? []).length > 0 || tls.credentialName || (tls.credentialNames ?? []).length > 0;
    if (certificates) warnings.push({ path, message: `${tls.mode} mode does not use certificates, they will be ignored` });
  }
  if ((tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL' || tls.mode === 'OPTIONAL_MUTUAL') && (tls.tlsCertificates ?? []).length > 2) {
    const prefix = tls.mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    warnings.push({ path: `${path}.tlsCertificates`, message: `${prefix} can support up to 2 server certificates` });
  }
  return warnings;
}

function sidecarWarnings(spec: SidecarSpec): ValidationWarning[] {
  const warnings = alphaSelectorWarning(spec.workloadSelector, 'sidecar');
  (spec.ingress ?? []).forEach((ingress, index) => {
    if (!ingress) return;
    if (ingress.tls) warnings.push(...tlsOptionWarnings(ingress.tls as ServerTls, `spec.ingress[${index}].tls`));
    const port = ingress.port;
    if (ingress.connectionPool?.http && port && !isHttpProtocol(port.protocol)) {
      warnings.push({
        path: `spec.ingress[${index}].connectionPool.http`,
        message: `sidecar: HTTP connection pool settings are configured for port ${port.number ?? 0} (${JSON.stringify(port.name ?? '')}) but its protocol is not HTTP (${port.protocol ?? ''}); only TCP settings will apply`,
      });
    }
  });
  (spec.egress ?? []).forEach((egress, index) => {
    // Hosts are namespace/host; "." and "~" stand for the Sidecar's own namespace and none.
    const byNamespace = new Map<string, Set<string>>();
    for (const hostname of egress?.hosts ?? []) {
      const slash = hostname.indexOf('/');
      if (slash < 0) continue;
      const namespace = hostname.slice(0, slash);
      const service = hostname.slice(slash + 1);
      const services = byNamespace.get(namespace) ?? new Set<string>();
      byNamespace.set(namespace, services);
      const duplicated = service !== '*' ? services.has(service) || services.has('*') : services.size > 0;
      if (duplicated) warnings.push({ path: `spec.egress[${index}].hosts`, message: `duplicated egress host: ${hostname}` });
      services.add(service);
    }
    if (byNamespace.get('*')?.has('*') && byNamespace.size !== 1) {
      warnings.push({ path: `spec.egress[${index}].hosts`, message: '`*/*` host select all resources, no other hosts can be added' });
    }
  });
  return warnings;
}

function destinationRuleWarnings(spec: DestinationRuleSpec): ValidationWarning[] {
  // Only the top-level policy: subsets' and ports' policies pass through appendErrors, which keeps no warning.
  return [...trafficPolicyWarnings(spec.trafficPolicy, 'spec.trafficPolicy'), ...selectorWarnings(spec.workloadSelector, 'spec.workloadSelector')];
}

function trafficPolicyWarnings(policy: TrafficPolicy | undefined, path: string): ValidationWarning[] {
  if (!policy) return [];
  const warnings: ValidationWarning[] = [];
  const outlier = policy.outlierDetection as (TrafficPolicy['outlierDetection'] & { consecutiveErrors?: number }) | undefined;
  if (outlier?.consecutiveErrors) {
    warnings.push({
      path: `${path}.outlierDetection.consecutiveErrors`,
      message: 'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead',
    });
  }
  const loadBalancer = policy.loadBalancer as
    | (NonNullable<TrafficPolicy['loadBalancer']> & { consistentHash?: { minimumRingSize?: number }; zoneAwareLbSetting?: FailoverFields })
    | undefined;
  if (loadBalancer?.consistentHash?.minimumRingSize) {
    warnings.push({
      path: `${path}.loadBalancer.consistentHash.minimumRingSize`,
      message: "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead",
    });
  }
  for (const field of ['localityLbSetting', 'zoneAwareLbSetting'] as const) {
    const setting = loadBalancer?.[field] as FailoverFields | undefined;
    if (((setting?.failover ?? []).length > 0 || (setting?.failoverPriority ?? []).length > 0) && !outlier) {
      warnings.push({ path: `${path}.loadBalancer.${field}`, message: 'outlier detection policy must be provided for failover' });
    }
  }
  return warnings;
}

interface FailoverFields {
  failover?: unknown[];
  failoverPriority?: string[];
}

interface VirtualServiceWarningFields {
  gateways?: string[];
  http?: { mirrorPercent?: number; directResponse?: { body?: { string?: string; bytes?: string } } }[];
  tls?: { match?: { sniHosts?: string[]; gateways?: string[] }[] }[];
}

/** validateGatewayNames: `name.namespace` is the old way to write `namespace/name`. */
function legacyGatewayNames(names: readonly string[] | undefined, path: string): ValidationWarning[] {
  for (const name of names ?? []) {
    if (name.includes('/')) continue;
    // Go returns after the first name without a slash, warned of or not.
    if (!name.includes('.')) return [];
    const parts = name.split('.');
    return [{ path, message: `using legacy gatewayName format "${name}"; prefer the <namespace>/<name> format: "${parts[1]}/${parts[0]}"` }];
  }
  return [];
}

function virtualServiceWarnings(spec: VirtualServiceWarningFields): ValidationWarning[] {
  const warnings = legacyGatewayNames(spec.gateways, 'spec.gateways');
  (spec.http ?? []).forEach((route, index) => {
    if (route?.mirrorPercent !== undefined && route.mirrorPercent !== null) {
      warnings.push({ path: `spec.http[${index}].mirrorPercent`, message: 'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead' });
    }
    const body = route?.directResponse?.body;
    // Bytes are base64 in YAML; their size is the decoded one.
    const size = body?.string !== undefined ? Buffer.byteLength(body.string) : body?.bytes !== undefined ? Buffer.from(body.bytes, 'base64').length : 0;
    if (size > 100 * 1024 && size <= 1024 * 1024) {
      warnings.push({ path: `spec.http[${index}].directResponse.body`, message: 'large direct_responses may impact control plane performance' });
    }
  });
  (spec.tls ?? []).forEach((route, index) => {
    (route?.match ?? []).forEach((match, m) => {
      for (const sni of match?.sniHosts ?? []) {
        // An address is never a valid domain (its top-level label is all digits), so it is warned of, not refused.
        if (isGoIp(sni)) {
          warnings.push({ path: `spec.tls[${index}].match[${m}].sniHosts`, message: `using an IP address (${JSON.stringify(sni)}) goes against SNI spec and most clients do not support this` });
        }
      }
      warnings.push(...legacyGatewayNames(match?.gateways, `spec.tls[${index}].match[${m}].gateways`));
    });
  });
  return warnings;
}

function serviceEntryWarnings(spec: ServiceEntrySpec): ValidationWarning[] {
  const warnings = alphaSelectorWarning(spec.workloadSelector, 'service entry');
  const resolution = spec.resolution ?? 'NONE';
  (spec.hosts ?? []).forEach((hostname, index) => {
    if (hostname === '*' || resolution === 'DYNAMIC_DNS') return;
    if (hostname.includes('*') && hostname.length !== 1 && !hostname.startsWith('*.')) {
      warnings.push({ path: `spec.hosts[${index}]`, message: `partial wildcard ${JSON.stringify(hostname)} not allowed` });
    }
  });
  // Istio allocates addresses itself unless resolution is NONE (the analyzer passes no labels to opt out).
  const allocated = resolution !== 'NONE' || (spec.addresses ?? []).length > 0;
  (spec.ports ?? []).forEach((port, index) => {
    if (!allocated && port && (!port.protocol || port.protocol === 'TCP')) {
      warnings.push({ path: `spec.ports[${index}]`, message: 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled' });
    }
  });
  if (resolution === 'NONE' && spec.workloadSelector) {
    warnings.push({ path: 'spec.workloadSelector', message: 'workloadSelector should not be set when resolution mode is NONE' });
  }
  if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && (spec.addresses ?? []).length > 0 && (spec.hosts ?? []).length > 1) {
    const tcpPort = (spec.ports ?? []).findIndex((port) => port && TCP_PROTOCOLS.has((port.protocol ?? '').toLowerCase()));
    if (tcpPort >= 0) {
      warnings.push({ path: `spec.ports[${tcpPort}]`, message: 'service entry can not have more than one host specified simultaneously with address and tcp port' });
    }
  }
  return warnings;
}

function envoyFilterWarnings(spec: { workloadSelector?: { labels?: Record<string, string> } }): ValidationWarning[] {
  return [
    {
      path: 'spec',
      message: 'EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.',
    },
    ...alphaSelectorWarning(spec.workloadSelector, 'Envoy filter'),
  ];
}

function telemetryWarnings(spec: TelemetrySpec): ValidationWarning[] {
  const warnings: ValidationWarning[] = [];
  const tracing = spec.tracing ?? [];
  if (tracing.length > 1) warnings.push({ path: 'spec.tracing', message: 'multiple tracing is not currently supported' });
  tracing.forEach((entry, index) => {
    if ((entry?.providers ?? []).length > 1) warnings.push({ path: `spec.tracing[${index}].providers`, message: 'multiple providers is not currently supported' });
  });
  (spec.metrics ?? []).forEach((metrics, index) => {
    (metrics?.overrides ?? []).forEach((override, o) => {
      if (override && Object.keys(override.tagOverrides ?? {}).includes('')) {
        warnings.push({ path: `spec.metrics[${index}].overrides[${o}].tagOverrides`, message: 'tagOverrides.name may not be empty' });
      }
    });
  });
  return warnings;
}

/** warnPrivateJwksKeys: a key set that carries private or symmetric keys, which Envoy never needs. */
function jwksWarnings(spec: RequestAuthenticationSpec): ValidationWarning[] {
  const warnings: ValidationWarning[] = [];
  (spec.jwtRules ?? []).forEach((rule, index) => {
    if (!rule?.jwks) return;
    let keys: unknown;
    try {
      const parsed: unknown = JSON.parse(rule.jwks);
      // jwk.Parse takes a key set or a single key.
      keys = parsed !== null && typeof parsed === 'object' && 'keys' in parsed ? (parsed as { keys: unknown }).keys : [parsed];
    } catch {
      return;
    }
    if (!Array.isArray(keys)) return;
    keys.forEach((key: unknown, k) => {
      if (key === null || typeof key !== 'object') return;
      const fields = key as Record<string, unknown>;
      // RSA, EC and OKP private keys carry "d"; "oct" keys are symmetric.
      if (fields['kty'] === 'oct' || (['RSA', 'EC', 'OKP'].includes(String(fields['kty'])) && fields['d'] !== undefined)) {
        warnings.push({ path: `spec.jwtRules[${index}].jwks`, message: `jwks key at index ${k} contains private key material; only public keys are used for verification` });
      }
    });
  });
  return warnings;
}

function workloadEntryWarnings(spec: { address?: string; network?: string }): ValidationWarning[] {
  if (spec.address || !spec.network) return [];
  return [{ path: 'spec.address', message: `address is unset with network "${spec.network}"` }];
}
