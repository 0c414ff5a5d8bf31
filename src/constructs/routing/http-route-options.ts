import type { VirtualServiceSpec } from '../../../imports/networking.istio.io.js';
import { assertPercentage, assertPort, istioDuration, MeshformError, type ErrorLocation } from '../../core/index.js';
import type { CallOperation } from './connect-options.js';
import { renderCors, type CorsPolicy } from './cors-policy.js';
import { renderFault, type FaultInjection } from './fault-injection.js';
import { matchedMethods, renderMatches, type HttpMethod, type RequestMatch } from './route-match.js';
import { renderRetries, type RetryOptions } from './retry-policy.js';

/** One Istio HTTPRoute. */
export type HttpRoute = NonNullable<VirtualServiceSpec['http']>[number];
/** One weighted destination of an HTTPRoute. */
export type HttpRouteDestination = NonNullable<HttpRoute['route']>[number];

/** A workload that routes can send (or mirror) traffic to. */
export interface RouteTarget {
  /** Name of the Service. */
  readonly name: string;
  readonly namespace: string;
  /** The Service's cluster-local name. */
  readonly fqdn: string;
  /** The host to write in a route from `namespace`. */
  hostFrom(namespace: string): string;
  /** Admits a caller (mirrored requests come from the caller's proxy), to everything or to `operation`. */
  allowFrom(principal: { readonly serviceAccountName: string; readonly namespace: string }, operation?: CallOperation, location?: ErrorLocation): void;
  /** @internal */
  _destinationPort(): { number: number } | undefined;
  /** @internal */
  _versionNames(): string[];
}

/** Copies a share of the traffic to another workload; its answers are dropped. */
export interface MirrorOptions {
  /** The workload that gets the copies. */
  readonly to: RouteTarget;
  /**
   * The version (subset) of `to` that gets them.
   * @default - any version of `to`
   */
  readonly version?: string;
  /**
   * Share of requests copied, 0 to 100.
   * @default 100
   */
  readonly percent?: number;
}

/** Rewrites a request before it is forwarded. */
export interface RewriteOptions {
  /**
   * Replaces the matched path prefix (or the whole path for an exact match), e.g. `'/'`.
   * @default - the path is kept
   */
  readonly uri?: string;
  /**
   * Replaces the Host/Authority header.
   * @default - the header is kept
   */
  readonly authority?: string;
}

/** Answers with a redirect instead of forwarding. */
export interface RedirectOptions {
  /**
   * The path to redirect to.
   * @default - the request's path
   */
  readonly uri?: string;
  /**
   * The host to redirect to.
   * @default - the request's host
   */
  readonly authority?: string;
  /**
   * The scheme to redirect to.
   * @default - the request's scheme
   */
  readonly scheme?: 'http' | 'https';
  /**
   * The port to redirect to.
   * @default - the request's port
   */
  readonly port?: number;
  /**
   * The HTTP status of the redirect.
   * @default 301
   */
  readonly code?: 301 | 302 | 303 | 307 | 308;
}

/**
 * What a route does with the requests it matches, shared by every route meshform writes (canary,
 * service and gateway routes alike).
 */
export interface HttpRouteOptions {
  /**
   * Timeout of a request, `'10s'` or milliseconds.
   * @default - no timeout
   */
  readonly timeout?: string | number;
  /**
   * Retry policy.
   * @default - Istio's default (2 attempts)
   */
  readonly retries?: RetryOptions;
  /**
   * Delay or fail a share of the requests, to test how callers cope.
   * @default - no fault
   */
  readonly fault?: FaultInjection;
  /**
   * Copy a share of the requests to another workload (a dark launch).
   * @default - no mirroring
   */
  readonly mirror?: MirrorOptions;
  /**
   * Cross-origin policy for browser callers.
   * @default - no CORS headers added
   */
  readonly cors?: CorsPolicy;
  /**
   * Rewrite path or authority before forwarding.
   * @default - forwarded as received
   */
  readonly rewrite?: RewriteOptions;
}

/** One rule of a VirtualService: which requests it takes and what it does with them. */
export interface RouteRule extends HttpRouteOptions {
  /**
   * Name of the rule, shown in Envoy's stats and access logs.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * Requests this rule takes; several are alternatives.
   * @default - every request (a catch-all)
   */
  readonly match?: RequestMatch | readonly RequestMatch[];
  /**
   * Answer with a redirect instead of forwarding; the rule then has no destination.
   * @default - forwarded
   */
  readonly redirect?: RedirectOptions;
}

/** Where a rule is written: for error messages, and the namespace that hosts are relative to. */
export interface RouteContext {
  readonly construct: string;
  /** The field the rule came from, e.g. `routes[2]`; empty for top-level props. */
  readonly field: string;
  readonly namespace: string;
}

/** The HTTPRoute fields of the options, checked and in Istio's format. */
export function httpRouteFields(options: HttpRouteOptions, context: RouteContext, methods?: readonly HttpMethod[]): Partial<HttpRoute> {
  const at = (field: string): ErrorLocation => ({ construct: context.construct, field: context.field ? `${context.field}.${field}` : field });
  const fields: Record<string, unknown> = {};
  if (options.timeout !== undefined) fields.timeout = istioDuration(options.timeout, at('timeout'));
  if (options.retries) fields.retries = renderRetries(options.retries, methods, at('retries'));
  if (options.fault) fields.fault = renderFault(options.fault, at('fault'));
  if (options.mirror) Object.assign(fields, renderMirror(options.mirror, context.namespace, at('mirror')));
  if (options.cors) fields.corsPolicy = renderCors(options.cors, at('cors'));
  if (options.rewrite) fields.rewrite = renderRewrite(options.rewrite, at('rewrite'));
  return fields as Partial<HttpRoute>;
}

/** The methods a rule matches; undefined (any method) when one of its matches leaves the method open. */
export function ruleMethods(rule: Pick<RouteRule, 'match'>): HttpMethod[] | undefined {
  const list: readonly RequestMatch[] = rule.match === undefined ? [] : Array.isArray(rule.match) ? rule.match : [rule.match as RequestMatch];
  const methodLists = list.map(matchedMethods);
  return list.length === 0 || methodLists.includes(undefined) ? undefined : [...new Set(methodLists.flatMap((m) => m ?? []))];
}

/**
 * A rule's HTTPRoute without its destinations: name, matches, options, or a redirect. `forwards`
 * says whether the caller gives the rule a destination, which a redirect must not have.
 */
export function renderRule(rule: RouteRule, context: RouteContext, forwards: boolean): HttpRoute {
  const at = (field: string): ErrorLocation => ({ construct: context.construct, field: context.field ? `${context.field}.${field}` : field });
  const match = renderMatches(rule.match, context.construct, at('match').field!);
  const methods = ruleMethods(rule);
  if (rule.name !== undefined && (typeof rule.name !== 'string' || rule.name.trim() === '')) {
    throw new MeshformError('the rule name is empty', { ...at('name'), fix: 'Give a name, or leave it out.' });
  }
  const route: HttpRoute = {
    ...(rule.name !== undefined ? { name: rule.name } : {}),
    ...(match.length > 0 ? { match } : {}),
    ...httpRouteFields(rule, context, methods),
  };
  if (rule.redirect) {
    // Istio refuses a rule that both redirects and forwards, rewrites or injects faults.
    const clash = (['timeout', 'retries', 'fault', 'mirror', 'rewrite'] as const).find((field) => rule[field] !== undefined);
    if (forwards || clash) {
      throw new MeshformError(`a redirect cannot be combined with ${clash ?? 'a destination'}`, {
        ...at('redirect'),
        fix: 'A redirecting rule answers at the proxy; give it its own match and no destination, timeout, retries, fault, mirror or rewrite.',
      });
    }
    route.redirect = renderRedirect(rule.redirect, at('redirect'));
  } else if (!forwards) {
    throw new MeshformError('the rule neither forwards nor redirects', { ...at('to'), fix: 'Give it a destination (to) or a redirect.' });
  }
  return route;
}

/**
 * Refuses a mirror to where the rule already sends traffic: that destination would get every
 * mirrored request twice.
 */
export function assertMirrorElsewhere(route: HttpRoute, location: ErrorLocation): void {
  if (!route.mirror || !route.route) return;
  const clash = route.route.find(
    ({ destination, weight }) =>
      (weight ?? 100) > 0 && destination.host === route.mirror!.host && (route.mirror!.subset === undefined || destination.subset === undefined || destination.subset === route.mirror!.subset),
  );
  if (clash) {
    const target = `${clash.destination.host}${route.mirror.subset ? ` (${route.mirror.subset})` : ''}`;
    throw new MeshformError(`the mirror sends copies to ${target}, which the rule already routes to`, {
      ...location,
      fix: 'Mirror to a version that gets no traffic from this rule (weight 0), or to another workload.',
    });
  }
}

function renderMirror(mirror: MirrorOptions, namespace: string, location: ErrorLocation): Record<string, unknown> {
  if (mirror.version !== undefined && !mirror.to._versionNames().includes(mirror.version)) {
    throw new MeshformError(`${mirror.to.name} has no version "${mirror.version}"`, {
      ...location,
      field: `${location.field}.version`,
      fix: `Versions are ${mirror.to._versionNames().join(', ')}.`,
    });
  }
  const port = mirror.to._destinationPort();
  return {
    mirror: { host: mirror.to.hostFrom(namespace), ...(mirror.version ? { subset: mirror.version } : {}), ...(port ? { port } : {}) },
    mirrorPercentage: { value: assertPercentage(mirror.percent ?? 100, { ...location, field: `${location.field}.percent` }) },
  };
}

function renderRewrite(rewrite: RewriteOptions, location: ErrorLocation): Record<string, unknown> {
  if (rewrite.uri === undefined && rewrite.authority === undefined) {
    throw new MeshformError('the rewrite changes nothing', { ...location, fix: 'Give uri and/or authority.' });
  }
  if (rewrite.uri !== undefined && !rewrite.uri.startsWith('/')) {
    throw new MeshformError(`uri "${rewrite.uri}" does not start with "/"`, { ...location, field: `${location.field}.uri`, fix: `Did you mean "/${rewrite.uri}"?` });
  }
  return { ...rewrite };
}

function renderRedirect(redirect: RedirectOptions, location: ErrorLocation): Record<string, unknown> {
  const { uri, authority, scheme, port, code } = redirect;
  if (uri === undefined && authority === undefined && scheme === undefined && port === undefined) {
    throw new MeshformError('the redirect goes nowhere else', { ...location, fix: 'Give uri, authority, scheme or port.' });
  }
  if (uri !== undefined && !uri.startsWith('/')) {
    throw new MeshformError(`uri "${uri}" does not start with "/"`, { ...location, field: `${location.field}.uri`, fix: `Did you mean "/${uri}"?` });
  }
  if (code !== undefined && ![301, 302, 303, 307, 308].includes(code)) {
    throw new MeshformError(`${String(code)} is not a redirect status`, { ...location, field: `${location.field}.code`, fix: 'Use 301, 302, 303, 307 or 308.' });
  }
  return {
    ...(uri !== undefined ? { uri } : {}),
    ...(authority !== undefined ? { authority } : {}),
    ...(scheme !== undefined ? { scheme } : {}),
    ...(port !== undefined ? { port: assertPort(port, { ...location, field: `${location.field}.port` }) } : {}),
    ...(code !== undefined ? { redirectCode: code } : {}),
  };
}
