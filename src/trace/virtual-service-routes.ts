import { arrayOf, type KubeObject, type Labels, namespaceOf, originOf, resolveHost, selectorMatches, wildcardCovers } from '../core/index.js';
import { ROUTE_SEMANTICS_ANNOTATION } from '../analysis/resources/kubernetes-ingress.js';
import { KINDS } from '../analysis/resources/resource-index.js';
import { exportedTo, exportToOf, type MeshInputs } from './mesh-inputs.js';
import { type EnvoyRoute, isCatchAll, type RouteAction, type RouteConditions, type StringMatch, type WeightedCluster } from './route-table.js';

/** Where a VirtualService's routes are built: which listener port, gateway and client. */
export interface RouteContext {
  /** The listener's port (a sidecar's service port, a gateway server's port number). */
  readonly port: number;
  /** `ns/name` of the Gateway being built, or `mesh` for sidecars. */
  readonly gateway: string;
  readonly clientNamespace: string;
  readonly clientLabels: Labels;
}

type HttpMatch = Record<string, unknown> & { gateways?: string[]; port?: number; sourceLabels?: Labels; sourceNamespace?: string };
type HttpRule = Record<string, any>;

const array = arrayOf;

/** `ns/name` of a VirtualService's gateway reference (`name`, `./name`, `ns/name`, `name.ns.svc…`). */
export function gatewayName(reference: string, namespace: string): string {
  if (reference === 'mesh') return 'mesh';
  if (reference.includes('/')) {
    const [ns, name] = reference.split('/', 2) as [string, string];
    return `${ns === '.' ? namespace : ns}/${name}`;
  }
  const dot = reference.indexOf('.');
  // Istio's legacy form `name.namespace.svc.cluster.local`.
  return dot < 0 ? `${namespace}/${reference}` : `${reference.slice(dot + 1).split('.')[0]}/${reference.slice(0, dot)}`;
}

/** The gateways a VirtualService binds to: `mesh` when it names none. */
export function boundGateways(vs: KubeObject): string[] {
  const names = array<string>(vs.spec?.gateways).map(String);
  return names.length === 0 ? ['mesh'] : names.map((name) => gatewayName(name, namespaceOf(vs)));
}

/**
 * The Envoy routes of one VirtualService for one listener, as Istio's
 * BuildHTTPRoutesForVirtualService makes them: each `http` rule's matches in order (a rule
 * without matches is one catch-all route), matches for another port, gateway or client dropped
 * at config time, and nothing after the first catch-all.
 */
export function virtualServiceRoutes(vs: KubeObject, context: RouteContext, inputs: MeshInputs): EnvoyRoute[] {
  const routes: EnvoyRoute[] = [];
  const namespace = namespaceOf(vs);
  const rules = array<HttpRule>(vs.spec?.http);
  const segmentPrefixes = vs.metadata?.annotations?.[ROUTE_SEMANTICS_ANNOTATION] !== undefined;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    const field = `spec.http[${index}]`;
    const expanded: { rule: HttpRule; field: string; vs: KubeObject; parentMatches?: (HttpMatch | undefined)[] }[] = rule.delegate
      ? delegatedRules(rule, namespace, inputs)
      : [{ rule, field, vs }];
    let caughtAll = false;
    for (const { rule: ruleOf, field: fieldOf, vs: owner, parentMatches } of expanded) {
      const matches = array<HttpMatch>(ruleOf.match);
      const combined = parentMatches ? mergeMatches(parentMatches, matches) : matches.length === 0 ? [undefined] : matches;
      for (let m = 0; m < combined.length; m++) {
        const match = combined[m];
        if (match && !matchApplies(match, context, namespace)) continue;
        const route: EnvoyRoute = {
          ...(typeof ruleOf.name === 'string' ? { name: ruleOf.name } : {}),
          ...(match ? { conditions: conditionsOf(match, segmentPrefixes) } : {}),
          action: actionOf(ruleOf, namespaceOf(owner), context, inputs),
          decidedBy: { origin: originOf(owner), field: match && matches.length > 0 ? `${fieldOf}.match[${m}]` : fieldOf },
        };
        routes.push(route);
        if (isCatchAll(route)) {
          caughtAll = true;
          break;
        }
      }
      if (caughtAll) break;
    }
    if (caughtAll) break;
  }
  return routes;
}

/** The rules of a delegate VirtualService (`http[].delegate`), under the matches of the rule that names it. */
function delegatedRules(rule: HttpRule, namespace: string, inputs: MeshInputs) {
  const name = String(rule.delegate.name ?? '');
  const ns = String(rule.delegate.namespace ?? namespace);
  const delegate = inputs.index.find(KINDS.VirtualService, ns, name);
  // A delegate that is missing, or not exported to the root's namespace, drops only this rule.
  if (!delegate || !exportedTo(exportToOf(delegate), ns, namespace)) return [];
  const parent = array<HttpMatch>(rule.match);
  return array<HttpRule>(delegate.spec?.http).map((child, index) => ({
    rule: { ...rule, ...child, delegate: undefined },
    field: `spec.http[${index}]`,
    vs: delegate,
    parentMatches: parent.length === 0 ? [undefined] : parent,
  }));
}

/** Each delegate match within each root match, the delegate's fields winning (Istio's mergeHTTPMatchRequests). */
function mergeMatches(parents: readonly (HttpMatch | undefined)[], children: readonly HttpMatch[]): (HttpMatch | undefined)[] {
  if (children.length === 0) return [...parents];
  const merged: (HttpMatch | undefined)[] = [];
  for (const parent of parents) {
    for (const child of children) {
      merged.push({
        ...(parent ?? {}),
        ...child,
        headers: { ...((parent?.headers as object) ?? {}), ...((child.headers as object) ?? {}) },
        queryParams: { ...((parent?.queryParams as object) ?? {}), ...((child.queryParams as object) ?? {}) },
      });
    }
  }
  return merged;
}

/** Config-time filters of one match (Istio's TranslateRoute and sourceMatchHTTP). */
function matchApplies(match: HttpMatch, context: RouteContext, namespace: string): boolean {
  if (match.port !== undefined && match.port !== null && Number(match.port) !== context.port) return false;
  const gateways = array<string>(match.gateways);
  if (gateways.length > 0) return gateways.some((name) => gatewayName(String(name), namespace) === context.gateway);
  if (match.sourceLabels && !selectorMatches(match.sourceLabels, context.clientLabels)) return false;
  if (match.sourceNamespace && match.sourceNamespace !== context.clientNamespace) return false;
  return true;
}

function conditionsOf(match: HttpMatch, segmentPrefix: boolean): RouteConditions {
  const strings = (value: unknown): Record<string, StringMatch> | undefined => {
    if (!value || typeof value !== 'object' || Object.keys(value).length === 0) return undefined;
    const out: Record<string, StringMatch> = {};
    // Istio ignores header matches on the pseudo-headers it has fields for.
    for (const [name, m] of Object.entries(value as Record<string, StringMatch>)) if (!['uri', 'scheme', 'method', 'authority'].includes(name.toLowerCase())) out[name.toLowerCase()] = m ?? {};
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const one = (value: unknown) => (value && typeof value === 'object' ? (value as StringMatch) : undefined);
  const conditions: Record<string, unknown> = {
    uri: one(match.uri),
    ignoreUriCase: match.ignoreUriCase === true ? true : undefined,
    segmentPrefix: segmentPrefix ? true : undefined,
    headers: strings(match.headers),
    withoutHeaders: strings(match.withoutHeaders),
    queryParams: match.queryParams && typeof match.queryParams === 'object' && Object.keys(match.queryParams).length > 0 ? (match.queryParams as Record<string, StringMatch>) : undefined,
    method: one(match.method),
    authority: one(match.authority),
    scheme: one(match.scheme),
  };
  return Object.fromEntries(Object.entries(conditions).filter(([, value]) => value !== undefined)) as RouteConditions;
}

function actionOf(rule: HttpRule, namespace: string, context: RouteContext, inputs: MeshInputs): RouteAction {
  if (rule.redirect) {
    const status = Number(rule.redirect.redirectCode ?? 301);
    return { kind: 'redirect', status, location: `${rule.redirect.scheme ?? ''}${rule.redirect.authority ?? ''}${rule.redirect.uri ?? ''}` };
  }
  if (rule.directResponse) return { kind: 'direct', status: Number(rule.directResponse.status ?? 200) };
  const destinations = array<Record<string, any>>(rule.route);
  if (destinations.length === 0) return { kind: 'none', reason: 'the rule has no route, redirect or directResponse' };
  const clusters = destinations
    .map((destination) => clusterOf(destination, namespace, context, inputs, destinations.length))
    .filter((cluster) => cluster.weight > 0);
  // What the route does besides choosing the cluster, as a person reads it.
  const policy = [
    rule.timeout ? `timeout ${rule.timeout}` : '',
    rule.retries?.attempts !== undefined ? `${rule.retries.attempts} retries${rule.retries.retryOn ? ` on ${rule.retries.retryOn}` : ''}` : '',
    rule.fault ? 'fault injection' : '',
    rule.mirror ? `mirrored to ${rule.mirror.host}` : '',
    rule.rewrite?.uri !== undefined ? `path rewritten to ${rule.rewrite.uri}` : '',
    rule.rewrite?.authority ? `host rewritten to ${rule.rewrite.authority}` : '',
    rule.corsPolicy ? 'CORS' : '',
  ].filter(Boolean);
  return { kind: 'forward', clusters, ...(policy.length > 0 ? { policy: policy.join(', ') } : {}) };
}

/** Istio's cluster for a route destination: `outbound|port|subset|host`. */
function clusterOf(destination: Record<string, any>, namespace: string, context: RouteContext, inputs: MeshInputs, count: number): WeightedCluster {
  const host = resolveHost(String(destination.destination?.host ?? ''), namespace).toLowerCase();
  const subset = String(destination.destination?.subset ?? '');
  // The destination's port; else the service's only port; else the listener's (Istio's GetDestinationCluster).
  let port = Number(destination.destination?.port?.number ?? 0);
  if (!port) {
    const service = inputs.service(host, namespace) ?? inputs.service(host, context.clientNamespace);
    port = service && service.ports.length === 1 ? service.ports[0]!.number : context.port;
  }
  const weight = count === 1 ? 100 : Number(destination.weight ?? 0);
  return { cluster: `outbound|${port}|${subset}|${host}`, host, port, subset, weight };
}

/** Where a TCP or TLS connection is routed: the listener's port, gateway and the connection's SNI. */
export interface TcpRouteContext {
  readonly port: number;
  readonly gateway: string;
  readonly sni: string;
  /** TLS passed through: the `tls` rules by SNI decide; else the `tcp` rules. */
  readonly passthrough: boolean;
}

/**
 * The clusters of the first `tcp` (or, for TLS passed through, `tls` by `sniHosts`) rule of a
 * VirtualService that matches the connection, with the rule's field; undefined when none does.
 */
export function tcpRouteClusters(vs: KubeObject, context: TcpRouteContext, inputs: MeshInputs): { clusters: WeightedCluster[]; field: string; vs: KubeObject } | undefined {
  const namespace = namespaceOf(vs);
  const kind = context.passthrough ? 'tls' : 'tcp';
  const rules = array<HttpRule>(vs.spec?.[kind]);
  const routeContext: RouteContext = { port: context.port, gateway: context.gateway, clientNamespace: namespace, clientLabels: {} };
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    const matches = array<HttpMatch & { sniHosts?: string[] }>(rule.match);
    const applies = (match: HttpMatch & { sniHosts?: string[] }) =>
      matchApplies(match, routeContext, namespace) &&
      (!context.passthrough || array<string>(match.sniHosts).some((host) => wildcardCovers(String(host), context.sni)));
    if (matches.length > 0 && !matches.some(applies)) continue;
    if (matches.length === 0 && context.passthrough) continue;
    const destinations = array<Record<string, any>>(rule.route);
    return {
      clusters: destinations.map((destination) => clusterOf(destination, namespace, routeContext, inputs, destinations.length)).filter((cluster) => cluster.weight > 0),
      field: `spec.${kind}[${index}]`,
      vs,
    };
  }
  return undefined;
}

