/**
 * The rules Istio's CRDs state as `x-kubernetes-validations` (CEL), which JSON schemas leave out and
 * Istio's validation enforces as well: exclusive fields, selectors without wildcards, port ranges,
 * ServiceEntry resolution constraints, durations of at least 1ms. Messages are the CRDs' own.
 */
import { goDurationNanos, kindKey, type KubeObject } from '../../core/index.js';

/** One broken rule: the field (dotted path) and the CRD's message. */
export interface RuleViolation {
  readonly path: string;
  readonly message: string;
}

type Check = (spec: any, report: (path: string, message: string) => void) => void;

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);
const has = (value: unknown, field: string): boolean => isObject(value) && value[field] !== undefined && value[field] !== null;
const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);
const count = (value: unknown, ...fields: string[]) => fields.filter((field) => has(value, field)).length;
const validPort = (port: unknown) => typeof port === 'number' && port > 0 && port <= 65535;
const PORT_NAME = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** `selector.matchLabels` of the policy kinds: keys non-empty, no wildcard in keys or values. */
function matchLabels(labels: unknown, path: string, report: (path: string, message: string) => void): void {
  if (!isObject(labels)) return;
  const keys = Object.keys(labels);
  if (keys.some((key) => key.includes('*'))) report(path, 'wildcard not allowed in label key match');
  if (keys.some((key) => key.length === 0)) report(path, 'key must not be empty');
  for (const key of keys) if (String(labels[key]).includes('*')) report(`${path}.${key}`, 'wildcard not allowed in label value match');
}

/** `workloadSelector.labels` of EnvoyFilter, ServiceEntry and Sidecar: no wildcard in values. */
function workloadLabels(labels: unknown, path: string, report: (path: string, message: string) => void): void {
  if (!isObject(labels)) return;
  for (const key of Object.keys(labels)) if (String(labels[key]).includes('*')) report(`${path}.${key}`, 'wildcard is not supported in selector');
}

/** Policy attachment: targetRef(s) stay in the policy's namespace, and only one way is used. */
function attachment(spec: any, report: (path: string, message: string) => void, selectorField = 'selector'): void {
  if (has(spec?.targetRef, 'namespace') && spec.targetRef.namespace !== '') report('spec.targetRef.namespace', 'cross namespace referencing is not currently supported');
  list(spec?.targetRefs).forEach((ref, i) => {
    if (has(ref, 'namespace') && ref.namespace !== '') report(`spec.targetRefs[${i}].namespace`, 'cross namespace referencing is not currently supported');
  });
  if (count(spec, selectorField, 'targetRef', 'targetRefs') > 1) report('spec', `only one of targetRefs or ${selectorField} can be set`);
}

function serverTls(tls: unknown, path: string, report: (path: string, message: string) => void): void {
  if (count(tls, 'tlsCertificates', 'credentialNames') > 1) report(path, 'only one of credentialNames or tlsCertificates can be set');
  if (count(tls, 'credentialName', 'credentialNames') > 1) report(path, 'only one of credentialName or credentialNames can be set');
}

/** A unix domain socket address: absolute or abstract, not a directory, and without ports. */
function endpointAddress(endpoint: unknown, path: string, report: (path: string, message: string) => void): void {
  if (!isObject(endpoint)) return;
  const address = typeof endpoint.address === 'string' ? endpoint.address : '';
  if (address.startsWith('unix://')) {
    if (has(endpoint, 'ports')) report(path, 'UDS may not include ports');
    if (!['/', '@'].includes(address.slice(7, 8))) report(`${path}.address`, 'UDS must be an absolute path or abstract socket');
    if (address.endsWith('/')) report(`${path}.address`, 'UDS may not be a dir');
  }
  if (isObject(endpoint.ports)) {
    if (Object.keys(endpoint.ports).some((name) => name.length >= 63 || !PORT_NAME.test(name))) report(`${path}.ports`, 'port name must be valid');
    for (const [name, port] of Object.entries(endpoint.ports)) if (!validPort(port)) report(`${path}.ports.${name}`, 'port must be between 1-65535');
  }
}

const DR_DURATIONS: readonly (readonly string[])[] = [
  ['connectionPool', 'tcp', 'connectTimeout'],
  ['connectionPool', 'tcp', 'maxConnectionDuration'],
  ['connectionPool', 'tcp', 'idleTimeout'],
  ['connectionPool', 'tcp', 'tcpKeepalive', 'time'],
  ['connectionPool', 'tcp', 'tcpKeepalive', 'interval'],
  ['connectionPool', 'http', 'idleTimeout'],
  ['connectionPool', 'http', 'http2KeepAlive', 'interval'],
  ['connectionPool', 'http', 'http2KeepAlive', 'timeout'],
  ['loadBalancer', 'warmupDurationSecs'],
  ['loadBalancer', 'warmup', 'duration'],
  ['outlierDetection', 'interval'],
  ['outlierDetection', 'baseEjectionTime'],
];

/** The durations of a traffic policy and of its port-level settings: each at least 1ms. */
function trafficPolicyDurations(policy: unknown, path: string, report: (path: string, message: string) => void): void {
  const check = (settings: unknown, base: string) => {
    for (const fields of DR_DURATIONS) {
      const value = fields.reduce<any>((node, field) => (isObject(node) ? node[field] : undefined), settings);
      if (typeof value !== 'string') continue;
      const nanos = goDurationNanos(value);
      if (nanos !== undefined && nanos < 1e6) report(`${base}.${fields.join('.')}`, 'must be a valid duration greater than 1ms');
    }
  };
  if (!isObject(policy)) return;
  check(policy, path);
  list(policy.portLevelSettings).forEach((settings, i) => check(settings, `${path}.portLevelSettings[${i}]`));
}

const CHECKS: Readonly<Record<string, Check>> = {
  'security.istio.io/AuthorizationPolicy': (spec, report) => {
    attachment(spec, report);
    matchLabels(spec?.selector?.matchLabels, 'spec.selector.matchLabels', report);
    list(spec?.rules).forEach((rule, r) =>
      list(rule?.from).forEach((from, f) => {
        const source = from?.source;
        if ((has(source, 'serviceAccounts') || has(source, 'notServiceAccounts')) && count(source, 'principals', 'notPrincipals', 'namespaces', 'notNamespaces') > 0) {
          report(`spec.rules[${r}].from[${f}].source`, 'Cannot set serviceAccounts with namespaces or principals');
        }
      }),
    );
  },
  'security.istio.io/PeerAuthentication': (spec, report) => {
    matchLabels(spec?.selector?.matchLabels, 'spec.selector.matchLabels', report);
    if (!has(spec, 'portLevelMtls')) return;
    if (!isObject(spec.selector?.matchLabels) || Object.keys(spec.selector.matchLabels).length === 0) report('spec', 'portLevelMtls requires selector');
    if (isObject(spec.portLevelMtls) && Object.keys(spec.portLevelMtls).some((key) => !/^\d+$/.test(key) || !validPort(Number(key)))) {
      report('spec.portLevelMtls', 'port must be between 1-65535');
    }
  },
  'security.istio.io/RequestAuthentication': (spec, report) => {
    attachment(spec, report);
    matchLabels(spec?.selector?.matchLabels, 'spec.selector.matchLabels', report);
    list(spec?.jwtRules).forEach((rule, i) => {
      if (count(rule, 'jwksUri', 'jwks_uri', 'jwks') > 1) report(`spec.jwtRules[${i}]`, 'only one of jwks or jwksUri can be set');
      for (const field of ['jwksUri', 'jwks_uri']) {
        if (typeof rule?.[field] === 'string' && !/^https?:\/\//i.test(rule[field])) report(`spec.jwtRules[${i}].${field}`, 'url must have scheme http:// or https://');
      }
    });
  },
  'telemetry.istio.io/Telemetry': (spec, report) => {
    attachment(spec, report);
    matchLabels(spec?.selector?.matchLabels, 'spec.selector.matchLabels', report);
    list(spec?.metrics).forEach((metrics, m) =>
      list(metrics?.overrides).forEach((override, o) => {
        for (const [tag, change] of Object.entries<any>(isObject(override?.tagOverrides) ? override.tagOverrides : {})) {
          const path = `spec.metrics[${m}].overrides[${o}].tagOverrides.${tag}`;
          const operation = has(change, 'operation') ? change.operation : '';
          if (operation === 'UPSERT' && (change?.value ?? '') === '') report(path, 'value must be set when operation is UPSERT');
          if (operation === 'REMOVE' && has(change, 'value')) report(path, 'value must not be set when operation is REMOVE');
        }
      }),
    );
  },
  'extensions.istio.io/WasmPlugin': (spec, report) => {
    attachment(spec, report);
    matchLabels(spec?.selector?.matchLabels, 'spec.selector.matchLabels', report);
    list(spec?.vmConfig?.env).forEach((env, i) => {
      if (env?.valueFrom === 'HOST' && has(env, 'value')) report(`spec.vmConfig.env[${i}]`, 'value may only be set when valueFrom is INLINE');
    });
  },
  'networking.istio.io/DestinationRule': (spec, report) => {
    matchLabels(spec?.workloadSelector?.matchLabels, 'spec.workloadSelector.matchLabels', report);
    trafficPolicyDurations(spec?.trafficPolicy, 'spec.trafficPolicy', report);
    list(spec?.subsets).forEach((subset, i) => trafficPolicyDurations(subset?.trafficPolicy, `spec.subsets[${i}].trafficPolicy`, report));
  },
  'networking.istio.io/EnvoyFilter': (spec, report) => {
    workloadLabels(spec?.workloadSelector?.labels, 'spec.workloadSelector.labels', report);
    attachment(spec, report, 'workloadSelector');
    list(spec?.configPatches).forEach((patch, i) => {
      const match = patch?.match;
      // A waypoint match exactly when the context is WAYPOINT.
      if (isObject(match) && (match.context === 'WAYPOINT') !== has(match, 'waypoint')) report(`spec.configPatches[${i}].match`, 'only support waypointMatch when context is WAYPOINT');
      const port = match?.waypoint?.portNumber;
      if (port !== undefined && !validPort(port)) report(`spec.configPatches[${i}].match.waypoint.portNumber`, 'port must be between 1-65535');
    });
  },
  'networking.istio.io/Gateway': (spec, report) => {
    list(spec?.servers).forEach((server, i) => serverTls(server?.tls, `spec.servers[${i}].tls`, report));
  },
  'networking.istio.io/Sidecar': (spec, report) => {
    workloadLabels(spec?.workloadSelector?.labels, 'spec.workloadSelector.labels', report);
    list(spec?.ingress).forEach((ingress, i) => serverTls(ingress?.tls, `spec.ingress[${i}].tls`, report));
  },
  'networking.istio.io/ServiceEntry': (spec, report) => {
    workloadLabels(spec?.workloadSelector?.labels, 'spec.workloadSelector.labels', report);
    list(spec?.hosts).forEach((host, i) => {
      if (host === '*') report(`spec.hosts[${i}]`, 'hostname cannot be wildcard');
    });
    if (count(spec, 'workloadSelector', 'endpoints') > 1) report('spec', 'only one of WorkloadSelector or Endpoints can be set');
    const resolution = has(spec, 'resolution') ? spec.resolution : 'NONE';
    if (list(spec?.addresses).some((address) => String(address).includes('/')) && !['STATIC', 'NONE'].includes(resolution)) {
      report('spec', 'CIDR addresses are allowed only for NONE/STATIC resolution types');
    }
    if (resolution === 'NONE' && has(spec, 'endpoints')) report('spec', 'NONE mode cannot set endpoints');
    if (resolution === 'DNS_ROUND_ROBIN' && list(spec?.endpoints).length > 1) report('spec', 'DNS_ROUND_ROBIN mode cannot have multiple endpoints');
    const numbers = list(spec?.ports).map((port) => port?.number);
    if (numbers.some((number, i) => numbers.indexOf(number) !== i)) report('spec.ports', 'port number cannot be duplicated');
    list(spec?.ports).forEach((port, i) => {
      if (has(port, 'number') && !validPort(port.number)) report(`spec.ports[${i}].number`, 'port must be between 1-65535');
      if (has(port, 'targetPort') && !validPort(port.targetPort)) report(`spec.ports[${i}].targetPort`, 'port must be between 1-65535');
    });
    list(spec?.endpoints).forEach((endpoint, i) => {
      if (!has(endpoint, 'address') && !has(endpoint, 'network')) report(`spec.endpoints[${i}]`, 'Address is required');
      endpointAddress(endpoint, `spec.endpoints[${i}]`, report);
    });
  },
  'networking.istio.io/WorkloadEntry': (spec, report) => {
    if (!has(spec, 'address') && !has(spec, 'network')) report('spec', 'Address is required');
    endpointAddress(spec, 'spec', report);
  },
};

/** The CRD rules `object` breaks, in field order; none for kinds without such rules. */
export function crdRuleViolations(object: KubeObject): RuleViolation[] {
  const check = CHECKS[kindKey(object)];
  if (!check) return [];
  const found: RuleViolation[] = [];
  check(object.spec, (path, message) => found.push({ path, message }));
  return found;
}
