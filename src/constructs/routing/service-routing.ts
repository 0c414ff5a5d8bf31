import { Lazy } from 'cdk8s';
import type { Construct } from 'constructs';
import { VirtualService, type VirtualServiceSpec } from '../../../imports/networking.istio.io.js';
import { MeshformError } from '../../core/index.js';
import {
  assertMirrorElsewhere,
  httpRouteFields,
  renderRule,
  ruleMethods,
  type HttpRoute,
  type HttpRouteDestination,
  type HttpRouteOptions,
  type RouteRule,
  type RouteTarget,
} from './http-route-options.js';
import type { HttpMethod, RequestMatch } from './route-match.js';
import { assertRetriesSafe, type RetryOptions } from './retry-policy.js';
import { markMeshChanged } from '../validation/synth-turn.js';

/** A rule of a service's own VirtualService, ahead of its default route. */
export interface ServiceRoute extends RouteRule {
  /** Requests this rule takes; the default route takes the rest, so a service rule always has a match. */
  readonly match: RequestMatch | readonly RequestMatch[];
  /**
   * Send the requests to this version only.
   * @default - every version, by its weight
   */
  readonly version?: string;
}

/** The workload a routing table belongs to: where its default route goes. */
export interface RoutedWorkload extends RouteTarget {
  /** @internal */
  _routeDestinations(fromNamespace: string): HttpRouteDestination[];
  /** Registers a workload that gets copies of this one's requests. @internal */
  _addMirrorTarget(target: RouteTarget): void;
  /** The methods its admitted callers may send; undefined when some caller may send any. @internal */
  _admittedMethods(): HttpMethod[] | undefined;
}

interface RenderedRule {
  readonly route: HttpRoute;
  readonly version?: string;
  readonly field: string;
  /** Retries of a rule that matches any method: safe or not depending on who may call. */
  readonly openRetries?: RetryOptions;
}

/**
 * A workload's own VirtualService (the routes its callers in the mesh take): header pins, the
 * rules added with `addRoute` in first-match order, then the default route, always last.
 */
export class ServiceRouting {
  private readonly rules: RenderedRule[] = [];
  private readonly defaultFields: Partial<HttpRoute>;
  private readonly pinFields: Partial<HttpRoute>;
  private readonly defaultRetries?: RetryOptions;
  private object?: VirtualService;

  public constructor(
    private readonly owner: Construct,
    private readonly workload: RoutedWorkload,
    defaults: HttpRouteOptions,
    /** The route's name for the default rule (a controller finds it by that name). */
    private readonly defaultName?: string,
  ) {
    const context = { construct: owner.node.path, field: '', namespace: workload.namespace };
    this.defaultFields = httpRouteFields(defaults, context);
    this.defaultRetries = defaults.retries;
    if (defaults.mirror) workload._addMirrorTarget(defaults.mirror.to);
    // A header pin targets one version on purpose: it keeps the timeout, retries and CORS but
    // neither faults nor mirrors the requests of those testing it.
    const { fault: _fault, mirror: _mirror, ...pinOptions } = defaults;
    this.pinFields = httpRouteFields(pinOptions, context);
    // Edges may be declared after the routes: the retries are judged at synth, against all of them.
    owner.node.addValidation({
      validate: () => {
        this.checkRetriesAgainstCallers();
        return [];
      },
    });
  }

  /** The VirtualService, once there is one. */
  public get virtualService(): VirtualService | undefined {
    return this.object;
  }

  /** Creates the VirtualService (a canary always has one; a plain service once it has routes). */
  public ensureVirtualService(pins: () => { version: string; headers: Readonly<Record<string, string>> }[]): VirtualService {
    this.object ??= new VirtualService(this.owner, 'VirtualService', {
      metadata: { name: this.workload.name, namespace: this.workload.namespace },
      spec: Lazy.any({ produce: (): VirtualServiceSpec => ({ hosts: [this.workload.name], http: this.render(pins()) }) }),
    });
    return this.object;
  }

  /** Adds a rule ahead of the default route; rules keep the order they are added in. */
  public add(rule: ServiceRoute, field: string): void {
    markMeshChanged();
    const construct = this.owner.node.path;
    if (rule.match === undefined || (Array.isArray(rule.match) && rule.match.length === 0)) {
      throw new MeshformError('the route has no match, so it would take every request ahead of the default route', {
        construct,
        field: `${field}.match`,
        fix: 'Give a match, or set options such as timeout on the service itself (they apply to its default route).',
      });
    }
    if (rule.version !== undefined && !this.workload._versionNames().includes(rule.version)) {
      throw new MeshformError(`there is no version "${rule.version}"`, { construct, field: `${field}.version`, fix: `Versions are ${this.workload._versionNames().join(', ')}.` });
    }
    if (rule.name !== undefined && this.rules.some(({ route }) => route.name === rule.name)) {
      throw new MeshformError(`two routes are named "${rule.name}"`, { construct, field: `${field}.name`, fix: 'Give each route its own name.' });
    }
    const route = renderRule(rule, { construct, field, namespace: this.workload.namespace }, rule.redirect === undefined);
    const rendered = { route, version: rule.version, field, openRetries: ruleMethods(rule) === undefined ? rule.retries : undefined };
    assertMirrorElsewhere(this.withDestinations(rendered), { construct, field: `${field}.mirror` });
    if (rule.mirror) this.workload._addMirrorTarget(rule.mirror.to);
    this.rules.push(rendered);
  }

  /** Checks again what depends on the weights (a mirror must not go where traffic goes). */
  public checkWeights(): void {
    const construct = this.owner.node.path;
    for (const rule of this.rules) assertMirrorElsewhere(this.withDestinations(rule), { construct, field: `${rule.field}.mirror` });
    assertMirrorElsewhere(this.defaultRoute(), { construct, field: 'mirror' });
  }

  /** The default route: every request no rule took, to every version by weight. */
  public defaultRoute(): HttpRoute {
    return { ...(this.defaultName ? { name: this.defaultName } : {}), route: this.workload._routeDestinations(this.workload.namespace), ...this.defaultFields };
  }

  private render(pins: { version: string; headers: Readonly<Record<string, string>> }[]): HttpRoute[] {
    const port = this.workload._destinationPort();
    const pinned = pins.map(({ version, headers }) => ({
      name: `pin-${version}`,
      match: [{ headers: Object.fromEntries(Object.entries(headers).map(([header, exact]) => [header.toLowerCase(), { exact }])) }],
      route: [{ destination: { host: this.workload.name, subset: version, ...(port ? { port } : {}) } }],
      ...this.pinFields,
    }));
    return [...pinned, ...this.rules.map((rule) => this.withDestinations(rule)), this.defaultRoute()];
  }

  /**
   * Rules that match any method are as safe to retry as the methods their callers are admitted
   * to: a service called only with POST must not retry on 5xx, as a POST route must not.
   */
  private checkRetriesAgainstCallers(): void {
    const methods = this.workload._admittedMethods();
    if (!methods) return;
    const construct = this.owner.node.path;
    const source = `callers admitted to ${this.workload.name} may send`;
    for (const rule of this.rules) if (rule.openRetries) assertRetriesSafe(rule.openRetries, methods, source, { construct, field: `${rule.field}.retries` });
    if (this.defaultRetries) assertRetriesSafe(this.defaultRetries, methods, source, { construct, field: 'retries' });
  }

  private withDestinations({ route, version }: RenderedRule): HttpRoute {
    if (route.redirect) return route;
    const port = this.workload._destinationPort();
    const destinations = version
      ? [{ destination: { host: this.workload.name, subset: version, ...(port ? { port } : {}) } }]
      : this.workload._routeDestinations(this.workload.namespace);
    return { ...route, route: destinations };
  }
}
