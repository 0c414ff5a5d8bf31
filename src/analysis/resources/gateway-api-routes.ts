import { arrayOf, type KubeObject, nameOf, namespaceOf, serviceFqdn } from '../../core/index.js';
import { ROUTE_SEMANTICS_ANNOTATION } from './kubernetes-ingress.js';

const list = arrayOf;
type Rule = Record<string, any>;

/** A Gateway API parent that is a Service (GAMMA mesh routing), not a Gateway. */
const isServiceParent = (parent: Rule) => parent?.kind === 'Service' && (parent.group === '' || parent.group === 'core' || parent.group === undefined);

/** An HTTPRoute match as Istio's HTTPMatchRequest (createURIMatch and its siblings). */
function matchOf(match: Rule, port: number | undefined): Rule {
  const type = match.path?.type ?? 'PathPrefix';
  let value = String(match.path?.value ?? '/');
  // "When specified, a trailing `/` is ignored."
  if (type === 'PathPrefix' && value !== '/') value = value.replace(/\/$/, '');
  const uri = type === 'Exact' ? { exact: value } : type === 'RegularExpression' ? { regex: value } : { prefix: value };
  const strings = (entries: unknown) => {
    const out: Record<string, Rule> = {};
    for (const entry of list<Rule>(entries)) out[String(entry.name).toLowerCase()] = entry.type === 'RegularExpression' ? { regex: String(entry.value) } : { exact: String(entry.value) };
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const headers = strings(match.headers);
  const queryParams = strings(match.queryParams);
  return { uri, ...(headers ? { headers } : {}), ...(queryParams ? { queryParams } : {}), ...(match.method ? { method: { exact: String(match.method) } } : {}), ...(port ? { port } : {}) };
}

/** A backendRef as a route destination: a Service in the route's namespace unless it says another, or an Istio Hostname. */
function destinationOf(backend: Rule, namespace: string): Rule {
  const host = backend.kind === 'Hostname' ? String(backend.name) : serviceFqdn(String(backend.name), String(backend.namespace ?? namespace));
  return { destination: { host, ...(backend.port !== undefined ? { port: { number: Number(backend.port) } } : {}) }, weight: Number(backend.weight ?? 1) };
}

function ruleOf(rule: Rule, index: number, route: KubeObject, port: number | undefined): Rule {
  const namespace = namespaceOf(route);
  const converted: Rule = { name: String(rule.name ?? `${namespace}.${nameOf(route)}.${index}`) };
  const matches = list<Rule>(rule.matches);
  if (matches.length > 0 || port) converted.match = (matches.length > 0 ? matches : [{}]).map((match) => matchOf(match, port));
  for (const filter of list<Rule>(rule.filters)) {
    if (filter.type === 'RequestRedirect') {
      const redirect = filter.requestRedirect ?? {};
      converted.redirect = { ...(redirect.scheme ? { scheme: redirect.scheme } : {}), ...(redirect.hostname ? { authority: redirect.hostname } : {}), redirectCode: Number(redirect.statusCode ?? 302) };
    }
    if (filter.type === 'URLRewrite' && filter.urlRewrite?.path?.replacePrefixMatch !== undefined) converted.rewrite = { uri: filter.urlRewrite.path.replacePrefixMatch };
  }
  if (!converted.redirect) {
    const backends = list<Rule>(rule.backendRefs).map((backend) => destinationOf(backend, namespace));
    // No backend, or weights that add up to nothing: Istio answers 500.
    if (backends.reduce((sum, backend) => sum + backend.weight, 0) === 0) converted.directResponse = { status: 500 };
    else converted.route = backends;
  }
  return converted;
}

/**
 * The VirtualServices Istio derives, for sidecars, from HTTPRoutes whose parent is a Service
 * (Gateway API mesh routing, GAMMA): one per parent, for the Service's host, bound to `mesh`, with
 * the route's rules in order. Routes on Gateways are not derived here.
 */
export function meshRouteVirtualServices(objects: readonly KubeObject[]): KubeObject[] {
  const derived: KubeObject[] = [];
  for (const route of objects) {
    if (route.kind !== 'HTTPRoute' || !String(route.apiVersion ?? '').startsWith('gateway.networking.k8s.io/')) continue;
    const namespace = namespaceOf(route);
    list<Rule>(route.spec?.parentRefs).forEach((parent, index) => {
      if (!isServiceParent(parent)) return;
      const port = parent.port !== undefined ? Number(parent.port) : undefined;
      derived.push({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: {
          name: `${nameOf(route)}-${index}-mesh`,
          namespace,
          annotations: { [ROUTE_SEMANTICS_ANNOTATION]: 'gateway', 'internal.istio.io/parent': `HTTPRoute ${namespace}/${nameOf(route)}` },
          ...((route.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp ? { creationTimestamp: (route.metadata as { creationTimestamp?: unknown }).creationTimestamp } : {}),
        } as KubeObject['metadata'],
        spec: {
          hosts: [serviceFqdn(String(parent.name), String(parent.namespace ?? namespace))],
          gateways: ['mesh'],
          http: list<Rule>(route.spec?.rules).map((rule, ruleIndex) => ruleOf(rule, ruleIndex, route, port)),
        },
      });
    });
  }
  return derived;
}
