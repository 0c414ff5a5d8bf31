import type { KubeObject } from '../../core/index.js';

/** One destination of a VirtualService, with where it is written. */
export interface RouteDestination {
  readonly destination: { host?: string; subset?: string; port?: { number?: number } };
  readonly path: string;
}

/** Destinations of the tcp, tls and http routes of a VirtualService, in Istio's order (getRouteDestinations). */
export function routeDestinations(vs: KubeObject): RouteDestination[] {
  const result: RouteDestination[] = [];
  for (const kind of ['tcp', 'tls', 'http'] as const) {
    (vs.spec?.[kind] ?? []).forEach((route: any, r: number) => {
      (route?.route ?? []).forEach((weighted: any, d: number) => {
        result.push({ destination: weighted?.destination ?? {}, path: `spec.${kind}[${r}].route[${d}].destination` });
      });
    });
  }
  return result;
}

/** Mirror destinations of the http routes (`mirror` and `mirrors[].destination`; one without a destination names no host). */
export function mirrorDestinations(vs: KubeObject): RouteDestination[] {
  const result: RouteDestination[] = [];
  (vs.spec?.http ?? []).forEach((route: any, r: number) => {
    if (route?.mirror) result.push({ destination: route.mirror, path: `spec.http[${r}].mirror` });
    (route?.mirrors ?? []).forEach((mirror: any, m: number) => {
      result.push({ destination: mirror?.destination ?? {}, path: `spec.http[${r}].mirrors[${m}].destination` });
    });
  });
  return result;
}

/** True when the VirtualService applies to sidecars: no gateways, or `mesh` among them. */
export function appliesToMesh(vs: KubeObject): boolean {
  const gateways: string[] = vs.spec?.gateways ?? [];
  return gateways.length === 0 || gateways.includes('mesh');
}

/** `ns/name` or a short name (in the VirtualService's namespace) → namespace and name. */
export function gatewayReference(reference: string, namespace: string): { namespace: string; name: string } {
  const slash = reference.indexOf('/');
  return slash < 0 ? { namespace, name: reference } : { namespace: reference.slice(0, slash), name: reference.slice(slash + 1) };
}

/** The route's name for messages: its `name` quoted, or `#<index>`. */
export function routeLabel(route: any, index: number): string {
  return route?.name ? JSON.stringify(route.name) : `#${index}`;
}
