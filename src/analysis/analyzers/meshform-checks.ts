import { parseServiceHost, resolveHost, selectorMatches } from '../../core/index.js';
import type { Analyzer, AnalysisContext } from '../context.js';
import { nameOf, namespaceOf, type KubeObject } from '../manifest.js';
import { KINDS } from '../resource-index.js';
import { podInMesh } from '../mesh-membership.js';
import { selectorString } from '../selectors.js';
import { appliesToMesh, routeLabel } from '../virtual-service.js';

/** A VirtualService whose last HTTP route has a match leaves other requests without a route (MF0001). */
export const defaultRouteAnalyzer: Analyzer = {
  name: 'meshform.DefaultRouteAnalyzer',
  codes: ['MF0001'],
  analyze(context) {
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      const routes: any[] = vs.spec?.http ?? [];
      const last = routes.length - 1;
      if (last < 0 || (routes[last]?.match ?? []).length === 0) continue;
      // At a gateway, unmatched paths answering 404 is usually intended; in the mesh it breaks callers.
      const name = appliesToMesh(vs) ? 'NoDefaultRoute' : 'NoDefaultGatewayRoute';
      context.report(name, vs, [routeLabel(routes[last], last)], `spec.http[${last}]`);
    }
  },
};

/** The weights of a route's destinations must add up to 100 (MF0002). */
export const routeWeightsAnalyzer: Analyzer = {
  name: 'meshform.RouteWeightsAnalyzer',
  codes: ['MF0002'],
  analyze(context) {
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      for (const kind of ['http', 'tcp', 'tls'] as const) {
        (vs.spec?.[kind] ?? []).forEach((route: any, index: number) => {
          const destinations: any[] = route?.route ?? [];
          if (destinations.length === 0 || destinations.every((d) => d?.weight === undefined)) return;
          if (destinations.length === 1 && destinations[0]?.weight === undefined) return;
          const weights = destinations.map((d) => Number(d?.weight ?? 0));
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          if (total !== 100) {
            const listed = destinations.map((d, i) => `${d?.destination?.host}${d?.destination?.subset ? `/${d.destination.subset}` : ''}=${weights[i]}`).join(', ');
            context.report('WeightsNotHundred', vs, [`${kind} ${routeLabel(route, index)}`, total, listed], `spec.${kind}[${index}].route`);
          }
        });
      }
    }
  },
};

/** A Service whose selector matches no pod or pod template of its namespace routes nowhere (MF0003). */
export const serviceSelectorAnalyzer: Analyzer = {
  name: 'meshform.ServiceSelectorAnalyzer',
  codes: ['MF0003'],
  analyze(context) {
    for (const service of context.index.ofKind(KINDS.Service)) {
      const selector = service.spec?.selector;
      if (!selector || Object.keys(selector).length === 0 || service.spec?.type === 'ExternalName') continue;
      if (context.index.podsMatching(selector, namespaceOf(service)).length === 0) {
        context.report('ServiceSelectsNoPods', service, [selectorString(selector), namespaceOf(service)], 'spec.selector');
      }
    }
  },
};

/**
 * A Gateway whose selector matches no gateway workload among the given manifests (MF0004):
 * correct only if the gateway is installed elsewhere with those labels.
 */
export function gatewayWorkloadAnalyzer(defaults: ReadonlySet<KubeObject>): Analyzer {
  return {
    name: 'meshform.GatewayWorkloadAnalyzer',
    codes: ['MF0004'],
    analyze(context) {
      for (const gateway of context.index.ofKind(KINDS.Gateway)) {
        const selector = gateway.spec?.selector ?? {};
        const own = context.index.podsMatching(selector).filter((pod) => !defaults.has(pod.owner));
        if (own.length === 0) context.report('GatewayWorkloadNotInManifests', gateway, [selectorString(selector)], 'spec.selector');
      }
    },
  };
}

/** DestinationRule TLS DISABLE towards workloads a PeerAuthentication holds to STRICT mTLS (MF0005). */
export const mtlsConflictAnalyzer: Analyzer = {
  name: 'meshform.MtlsConflictAnalyzer',
  codes: ['MF0005'],
  analyze(context) {
    for (const rule of context.index.ofKind(KINDS.DestinationRule)) {
      if (rule.spec?.trafficPolicy?.tls?.mode !== 'DISABLE') continue;
      const service = parseServiceHost(resolveHost(String(rule.spec?.host ?? ''), namespaceOf(rule)));
      if (!service) continue;
      const strict = strictPolicyFor(context, service.namespace, service.name);
      if (strict) {
        context.report('MtlsConflict', rule, [rule.spec.host, `${namespaceOf(strict)}/${nameOf(strict)}`], 'spec.trafficPolicy.tls.mode');
      }
    }
  },
};

/**
 * The PeerAuthentication that decides the mode for a Service's pods, when it is STRICT. Only
 * Services in the manifests are judged: of others it is unknown whether they are in the mesh.
 */
function strictPolicyFor(context: AnalysisContext, namespace: string, serviceName: string): KubeObject | undefined {
  const service = context.index.find(KINDS.Service, namespace, serviceName);
  if (!service) return undefined;
  const pods = service.spec?.selector ? context.index.podsMatching(service.spec.selector, namespace) : [];
  // PeerAuthentication binds only pods with a sidecar; plain text to the others is right.
  if (pods.length > 0 && !pods.some((pod) => podInMesh(pod, context))) return undefined;
  const policies = context.index.ofKind(KINDS.PeerAuthentication);
  const modeOf = (pa: KubeObject) => pa.spec?.mtls?.mode as string | undefined;
  // Most specific wins: workload selector, then namespace-wide, then mesh-wide (root namespace).
  const workload = policies.find(
    (pa) => namespaceOf(pa) === namespace && pa.spec?.selector?.matchLabels && pods.some((pod) => selectorMatches(pa.spec.selector.matchLabels, pod.labels)),
  );
  const namespaceWide = policies.find((pa) => namespaceOf(pa) === namespace && !pa.spec?.selector);
  const meshWide = policies.find((pa) => namespaceOf(pa) === context.rootNamespace && !pa.spec?.selector);
  for (const candidate of [workload, namespaceWide, meshWide]) {
    const mode = candidate && modeOf(candidate);
    if (mode && mode !== 'UNSET') return mode === 'STRICT' ? candidate : undefined;
  }
  return undefined;
}
