import { Lazy } from 'cdk8s';
import { markMeshChanged } from './validation/synth-turn.js';
import type { Construct } from 'constructs';
import { VirtualService, type VirtualServiceSpec } from '../../imports/networking.istio.io.js';
import { assertWeights, MeshformError } from '../core/index.js';
import { httpRouteFields, type HttpRoute, type HttpRouteDestination, type HttpRouteOptions } from './options/http-route-options.js';
import { MeshWorkload, type MeshWorkloadProps, type WorkloadVersion } from './mesh-workload.js';
import type { ContainerOptions } from './options/workload-options.js';

/** One version of a canary: its image, its share of traffic, and what pins requests to it. */
export interface CanaryVersion extends WorkloadVersion {
  /** Whole percentage of the traffic this version gets; all versions add up to 100. */
  readonly weight: number;
  /**
   * Request headers (exact values) that send a request to this version whatever the weights,
   * e.g. `{ 'x-canary': 'v2' }`. Matched ahead of the weighted default route.
   * @default - no pinning
   */
  readonly pinnedBy?: Readonly<Record<string, string>>;
}

export interface CanaryServiceProps extends MeshWorkloadProps, HttpRouteOptions, ContainerOptions {
  /** The versions, each with its image and weight. */
  readonly versions: readonly CanaryVersion[];
}

/**
 * A service rolled out in several versions at once: one Service, one Deployment per version, a
 * DestinationRule with a subset per version (mutual TLS) and a VirtualService that splits traffic
 * by weight, after any header pins. The default route (no match) is always present.
 *
 * Weights can be changed with `setWeights`; only the VirtualService changes, so pods are not restarted.
 */
export class CanaryService extends MeshWorkload {
  public readonly virtualService: VirtualService;
  private readonly versions: CanaryVersion[];
  private readonly weights = new Map<string, number>();

  public constructor(scope: Construct, id: string, props: CanaryServiceProps) {
    super(scope, id, props);
    if (props.versions.length === 0) {
      throw new MeshformError('a canary needs at least one version', {
        construct: this.node.path,
        field: 'versions',
        fix: "Add { name: 'v1', image, weight: 100 }.",
      });
    }
    this.versions = [...props.versions];
    for (const version of this.versions) {
      // Pod settings are shared by every version unless the version overrides them.
      const { versions: _versions, ...shared } = props;
      this.addVersion({ ...shared, ...version });
      this.weights.set(version.name, version.weight);
    }
    assertWeights(this.name, this.currentWeights(), this.node.path);

    const resilience = httpRouteFields(props, this.node.path);
    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: Lazy.any({
        produce: (): VirtualServiceSpec => ({
          hosts: [this.name],
          http: [...this.pinnedRoutes(resilience), { route: this._routeDestinations(this.namespace), ...resilience }],
        }),
      }),
    });
  }

  /**
   * Moves traffic between versions, e.g. `setWeights({ v1: 50, v2: 50 })` for the next stage of
   * a rollout. Versions left out keep their weight; the result must add up to 100.
   */
  public setWeights(weights: Readonly<Record<string, number>>): void {
    markMeshChanged();
    for (const name of Object.keys(weights)) {
      if (!this.weights.has(name)) {
        throw new MeshformError(`there is no version "${name}"`, {
          construct: this.node.path,
          field: 'setWeights',
          fix: `Versions are ${[...this.weights.keys()].join(', ')}.`,
        });
      }
    }
    const next = new Map(this.weights);
    for (const [name, weight] of Object.entries(weights)) next.set(name, weight);
    assertWeights(this.name, [...next].map(([name, weight]) => ({ name, weight })), this.node.path);
    for (const [name, weight] of next) this.weights.set(name, weight);
  }

  /** The current weight of each version, in declaration order. */
  public currentWeights(): { name: string; weight: number }[] {
    return this.versions.map(({ name }) => ({ name, weight: this.weights.get(name)! }));
  }

  /** @internal */
  public _routeDestinations(fromNamespace: string): HttpRouteDestination[] {
    const host = this.hostFrom(fromNamespace);
    const port = this._destinationPort();
    // A version at 0% gets no traffic; leaving it out keeps the route as Istio's samples write it.
    return this.currentWeights()
      .filter(({ weight }) => weight > 0)
      .map(({ name, weight }) => ({ destination: { host, subset: name, ...(port ? { port } : {}) }, weight }));
  }

  protected versionNames(): string[] {
    return this.versions.map(({ name }) => name);
  }

  private pinnedRoutes(resilience: Partial<HttpRoute>): HttpRoute[] {
    const port = this._destinationPort();
    return this.versions
      .filter((version) => version.pinnedBy && Object.keys(version.pinnedBy).length > 0)
      .map((version) => ({
        name: `pin-${version.name}`,
        match: [
          {
            headers: Object.fromEntries(
              Object.entries(version.pinnedBy!).map(([header, exact]) => [header.toLowerCase(), { exact }]),
            ),
          },
        ],
        route: [{ destination: { host: this.name, subset: version.name, ...(port ? { port } : {}) } }],
        ...resilience,
      }));
  }
}
