import { re2FullMatch, re2Problem } from '../core/index.js';
import type { NormalizedRequest } from './trace-request.js';
import type { TraceDecider } from './trace-result.js';

/** Istio's StringMatch: one of exact, prefix, regex (RE2, whole string). */
export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/** The request conditions of one Envoy route, from one HTTPMatchRequest (or an HTTPRoute match). */
export interface RouteConditions {
  readonly uri?: StringMatch;
  /** Istio's `ignoreUriCase`: exact and prefix only. */
  readonly ignoreUriCase?: boolean;
  /** A prefix matches whole path segments (`/foo` takes `/foo/bar`, not `/foobar`): Ingress and Gateway API routes. */
  readonly segmentPrefix?: boolean;
  /** Lower-case names; `{}` means present. */
  readonly headers?: Readonly<Record<string, StringMatch>>;
  readonly withoutHeaders?: Readonly<Record<string, StringMatch>>;
  readonly queryParams?: Readonly<Record<string, StringMatch>>;
  readonly method?: StringMatch;
  readonly authority?: StringMatch;
  readonly scheme?: StringMatch;
}

/** One weighted upstream of a route. */
export interface WeightedCluster {
  /** `outbound|port|subset|host`. */
  readonly cluster: string;
  readonly host: string;
  readonly port: number;
  readonly subset: string;
  /** Share of the route's traffic, 0–100. */
  readonly weight: number;
}

export type RouteAction =
  | { readonly kind: 'forward'; readonly clusters: readonly WeightedCluster[]; readonly policy?: string }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string }
  | { readonly kind: 'direct'; readonly status: number }
  | { readonly kind: 'passthrough'; readonly cluster: string }
  | { readonly kind: 'none'; readonly reason: string };

export interface EnvoyRoute {
  /** Istio's route name (the VirtualService rule's `name`), when there is one. */
  readonly name?: string;
  /** No conditions: prefix `/`, every request. */
  readonly conditions?: RouteConditions;
  readonly action: RouteAction;
  readonly decidedBy?: TraceDecider;
}

export interface VirtualHost {
  /** `host:port`, as Istio names virtual hosts. */
  readonly name: string;
  readonly domains: readonly string[];
  readonly routes: readonly EnvoyRoute[];
  /** A Gateway server's `tls.httpsRedirect`. */
  readonly requireTls?: boolean;
  readonly decidedBy?: TraceDecider;
  /** Where Istio's creation-time order decided and the manifests carry no timestamps. */
  readonly ambiguity?: string;
}

export interface RouteTable {
  readonly name: string;
  readonly virtualHosts: readonly VirtualHost[];
}

/**
 * The virtual host Envoy picks for a Host header: an exact domain, else the longest suffix
 * wildcard (`*.example.com`), else the longest prefix wildcard (`example.*`), else `*`. Istio sets
 * `ignore_port_in_host_matching`, so a `:port` in the header does not count. Case-insensitive.
 */
export function selectVirtualHost(table: RouteTable, hostHeader: string): VirtualHost | undefined {
  const host = withoutPort(hostHeader).toLowerCase();
  const exact = table.virtualHosts.find((vhost) => vhost.domains.some((domain) => domain.toLowerCase() === host));
  if (exact) return exact;
  const best = (test: (domain: string) => boolean) => {
    let found: VirtualHost | undefined;
    let longest = 0;
    for (const vhost of table.virtualHosts) {
      for (const domain of vhost.domains) {
        if (domain !== '*' && test(domain.toLowerCase()) && domain.length > longest) {
          found = vhost;
          longest = domain.length;
        }
      }
    }
    return found;
  };
  return (
    best((domain) => domain.startsWith('*') && host.length >= domain.length && host.endsWith(domain.slice(1))) ??
    best((domain) => domain.endsWith('*') && host.length >= domain.length && host.startsWith(domain.slice(0, -1))) ??
    table.virtualHosts.find((vhost) => vhost.domains.includes('*'))
  );
}

function withoutPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon && /^\d+$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}

/** A route that was passed over, with the condition that failed. */
export interface SkippedRoute {
  readonly route: EnvoyRoute;
  readonly because: string;
}

/** The first route of a virtual host whose conditions the request meets (Envoy's first match). */
export function firstMatchingRoute(vhost: VirtualHost, request: NormalizedRequest): { route?: EnvoyRoute; skipped: SkippedRoute[] } {
  const skipped: SkippedRoute[] = [];
  for (const route of vhost.routes) {
    const failed = route.conditions ? failedCondition(route.conditions, request) : undefined;
    if (failed === undefined) return { route, skipped };
    skipped.push({ route, because: failed });
  }
  return { skipped };
}

/** The first condition a request fails, described; undefined when it meets them all. */
export function failedCondition(conditions: RouteConditions, request: NormalizedRequest): string | undefined {
  const [pathOnly, query = ''] = splitQuery(request.path);
  if (conditions.uri && !uriMatches(conditions, pathOnly)) return `uri ${describe(conditions.uri)} does not match ${pathOnly}`;
  const header = (name: string): string | undefined => {
    if (name === ':method') return request.method;
    if (name === ':authority' || name === 'host') return request.host;
    if (name === ':scheme') return request.transport === 'plaintext' ? 'http' : 'https';
    if (name === ':path') return request.path;
    return request.headers.get(name);
  };
  if (conditions.method && !stringMatches(conditions.method, request.method, false)) return `method ${describe(conditions.method)} does not match ${request.method}`;
  if (conditions.authority && !stringMatches(conditions.authority, request.host, false)) return `authority ${describe(conditions.authority)} does not match ${request.host}`;
  if (conditions.scheme && !stringMatches(conditions.scheme, header(':scheme')!, false)) return `scheme ${describe(conditions.scheme)} does not match`;
  for (const [name, match] of Object.entries(conditions.headers ?? {})) {
    const value = header(name);
    if (value === undefined) return `header ${name} is absent`;
    if (!isPresenceMatch(match) && !stringMatches(match, value, false)) return `header ${name}: ${describe(match)} does not match "${value}"`;
  }
  for (const [name, match] of Object.entries(conditions.withoutHeaders ?? {})) {
    const value = header(name);
    if (isPresenceMatch(match) ? value !== undefined : stringMatches(match, value ?? '', false)) return `withoutHeaders ${name} ${describe(match)} holds`;
  }
  const params = new URLSearchParams(query);
  for (const [name, match] of Object.entries(conditions.queryParams ?? {})) {
    const value = params.get(name);
    if (value === null) return `query parameter ${name} is absent`;
    if (!isPresenceMatch(match) && !stringMatches(match, value, false)) return `query parameter ${name}: ${describe(match)} does not match "${value}"`;
  }
  return undefined;
}

function uriMatches(conditions: RouteConditions, path: string): boolean {
  const prefix = conditions.uri!.prefix;
  if (conditions.segmentPrefix && prefix !== undefined && prefix !== '/') {
    const fold = (text: string) => (conditions.ignoreUriCase ? text.toLowerCase() : text);
    const base = fold(prefix.replace(/\/+$/, ''));
    return fold(path) === base || fold(path).startsWith(`${base}/`);
  }
  return stringMatches(conditions.uri!, path, conditions.ignoreUriCase ?? false);
}

function splitQuery(path: string): [string, string?] {
  const mark = path.search(/[?#]/);
  if (mark < 0) return [path];
  return [path.slice(0, mark), path[mark] === '?' ? path.slice(mark + 1).split('#')[0] : ''];
}

function isPresenceMatch(match: StringMatch): boolean {
  return (match.exact === undefined && match.prefix === undefined && match.regex === undefined) || match.regex === '*';
}

/** Istio's string matches: exact and prefix (optionally case-blind), RE2 regex on the whole value. */
export function stringMatches(match: StringMatch, value: string, ignoreCase: boolean): boolean {
  const fold = (text: string) => (ignoreCase ? text.toLowerCase() : text);
  if (match.exact !== undefined) return fold(value) === fold(match.exact);
  if (match.prefix !== undefined) return fold(value).startsWith(fold(match.prefix));
  if (match.regex !== undefined) return re2Problem(match.regex) === undefined && re2FullMatch(match.regex, value);
  return true;
}

export function describe(match: StringMatch): string {
  if (match.exact !== undefined) return `exact "${match.exact}"`;
  if (match.prefix !== undefined) return `prefix "${match.prefix}"`;
  if (match.regex !== undefined) return `regex "${match.regex}"`;
  return 'present';
}

/** The conditions of a route in words: `uri prefix "/api", header x-canary exact "v2"`. */
export function describeConditions(conditions: RouteConditions): string {
  const parts: string[] = [];
  if (conditions.uri) parts.push(`uri ${describe(conditions.uri)}${conditions.ignoreUriCase ? ' (any case)' : ''}`);
  for (const [field, match] of [['method', conditions.method], ['authority', conditions.authority], ['scheme', conditions.scheme]] as const) if (match) parts.push(`${field} ${describe(match)}`);
  for (const [name, match] of Object.entries(conditions.headers ?? {})) parts.push(`header ${name} ${describe(match)}`);
  for (const [name, match] of Object.entries(conditions.withoutHeaders ?? {})) parts.push(`without header ${name} ${describe(match)}`);
  for (const [name, match] of Object.entries(conditions.queryParams ?? {})) parts.push(`query ${name} ${describe(match)}`);
  return parts.length > 0 ? parts.join(', ') : 'every request';
}

/** Istio's `IsCatchAllRoute`: no conditions but a `/` prefix or a `.*` regex on the path. */
export function isCatchAll(route: EnvoyRoute): boolean {
  const c = route.conditions;
  if (!c) return true;
  const uriCatchAll = !c.uri || c.uri.prefix === '/' || c.uri.regex === '.*';
  return uriCatchAll && !c.headers && !c.withoutHeaders && !c.queryParams && !c.method && !c.authority && !c.scheme;
}
