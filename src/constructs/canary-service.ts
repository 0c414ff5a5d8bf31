import type { Construct } from 'constructs';
import type { VirtualService } from '../../imports/networking.istio.io.js';
import { assertWeights, MeshformError, assertOptionalOneOf } from '../core/index.js';
import type { HttpRouteDestination } from './routing/http-route-options.js';
import type { ClientTrafficOptions } from './options/traffic-policy.js';
import type { ContainerOptions } from './options/workload-options.js';
import { MeshWorkload, type MeshWorkloadProps, type WorkloadVersion } from './mesh-workload.js';
import type { ServiceRouting } from './routing/service-routing.js';
import { markMeshChanged } from './validation/synth-turn.js';
import { constructProps } from './validation/check-props.js';
import { assertHeaderName } from './routing/route-match.js';

/** One version of a canary: its image, its share of traffic, and what pins requests to it. */
export interface CanaryVersion extends WorkloadVersion, ClientTrafficOptions {
  /**
   * Whole percentage of the traffic this version gets; all versions add up to 100.
   * @default - from `rollout` (which then sets every weight)
   */
  readonly weight?: number;
  /**
   * Request headers (exact values) that send a request to this version whatever the weights,
   * e.g. `{ 'x-canary': 'v2' }`. Matched ahead of every other rule.
   * @default - no pinning
   */
  readonly pinnedBy?: Readonly<Record<string, string>>;
}

/** A staged rollout from the first version (stable) to the second (canary). */
export interface RolloutOptions {
  /** The canary's share of traffic at each stage, e.g. `[5, 20, 50, 100]`; strictly increasing. */
  readonly stages: readonly number[];
  /**
   * The current stage (an index into `stages`).
   * @default 0
   */
  readonly step?: number;
}

/**
 * Who sets the weights: meshform, from the versions' weights or the rollout stage; or a progressive
 * delivery controller (Argo Rollouts) that edits the VirtualService's `primary` route in the
 * cluster, while meshform writes only its initial weights.
 */
export type WeightsOwner = 'meshform' | 'controller';

export interface CanaryServiceProps extends MeshWorkloadProps, ContainerOptions {
  /** The versions, each with its image and weight (or a rollout). */
  readonly versions: readonly CanaryVersion[];
  /**
   * Stages of a rollout between two versions; weights then follow the current step.
   * @default - weights from the versions
   */
  readonly rollout?: RolloutOptions;
  /**
   * Who sets the weights once deployed. With `'controller'` the default route is named `primary`,
   * lists every version (0% too) so that the controller can shift traffic, and GitOps tools are
   * told to leave its weights alone (see `gitOpsIgnoreDifferences`).
   * @default 'meshform'
   */
  readonly weightsOwner?: WeightsOwner;
}

/** The Argo CD `ignoreDifferences` entry that leaves a controller's weights alone. */
export interface IgnoreDifferences {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly jqPathExpressions: readonly string[];
}

/** The default route's name in controller mode, which Argo Rollouts' `virtualService.routes` names. */
export const CONTROLLER_ROUTE = 'primary';

/**
 * A service rolled out in several versions at once: one Service, one Deployment per version, a
 * DestinationRule with a subset per version (mutual TLS) and a VirtualService that splits traffic
 * by weight, after any header pins and routes. The default route (no match) is always last.
 *
 * Weights change with `setWeights` or `promote`; only the VirtualService changes, so pods are not
 * restarted.
 */
export class CanaryService extends MeshWorkload {
  private readonly versions: CanaryVersion[];
  private readonly weights = new Map<string, number>();
  private readonly stages?: readonly number[];
  private step = 0;
  private readonly weightsOwner: WeightsOwner;

  public constructor(scope: Construct, id: string, props: CanaryServiceProps) {
    super(scope, id, constructProps(scope, id, props, 'CanaryServiceProps'));
    const path = this.node.path;
    if (!Array.isArray(props.versions) || props.versions.length === 0) {
      throw new MeshformError('a canary needs at least one version', { construct: path, field: 'versions', fix: "Add { name: 'v1', image, weight: 100 }." });
    }
    this.versions = [...props.versions];
    this.weightsOwner = assertOptionalOneOf(props.weightsOwner, ['meshform', 'controller'], { construct: this.node.path, field: 'weightsOwner' }) ?? 'meshform';
    const { versions: _versions, rollout: _rollout, ...shared } = props;
    for (const [index, version] of this.versions.entries()) {
      for (const header of Object.keys(version.pinnedBy ?? {})) assertHeaderName(header, { construct: path, field: `versions[${index}].pinnedBy` });
      // Pod settings are shared by every version unless the version overrides them.
      this.addVersion({ ...shared, ...version });
      this.setSubsetTraffic(version.name, version, `versions[${index}]`);
    }
    if (props.rollout) {
      this.stages = checkStages(props.rollout, this.versions, path);
      this.step = props.rollout.step ?? 0;
      this.applyStage(this.step, 'rollout.step');
    } else {
      this.versions.forEach(({ name, weight }) => this.weights.set(name, weight as number));
      assertWeights(this.name, this.currentWeights(), path);
    }
    this.routing().checkWeights();
    this.addRoutes(props.routes);
  }

  /** The VirtualService, which a canary always has. */
  public override get virtualService(): VirtualService {
    return this.routing().virtualService!;
  }

  /** The current stage of the rollout, or undefined without one. */
  public get currentStep(): number | undefined {
    return this.stages ? this.step : undefined;
  }

  /**
   * Moves traffic between versions, e.g. `setWeights({ v1: 50, v2: 50 })`. Versions left out keep
   * their weight; the result must add up to 100.
   */
  public setWeights(weights: Readonly<Record<string, number>>): void {
    this.assertOwnWeights('setWeights');
    if (this.stages) {
      throw new MeshformError('the weights follow the rollout stages', { construct: this.node.path, field: 'setWeights', fix: 'Call promote(), or give rollout.step.' });
    }
    for (const name of Object.keys(weights)) {
      if (!this.weights.has(name)) {
        throw new MeshformError(`there is no version "${name}"`, { construct: this.node.path, field: 'setWeights', fix: `Versions are ${[...this.weights.keys()].join(', ')}.` });
      }
    }
    const next = new Map(this.weights);
    for (const [name, weight] of Object.entries(weights)) next.set(name, weight);
    assertWeights(this.name, [...next].map(([name, weight]) => ({ name, weight })), this.node.path);
    this.commitWeights(next);
  }

  /** Moves the rollout to its next stage (or to `step`). Only the VirtualService changes. */
  public promote(step: number = this.step + 1): void {
    this.assertOwnWeights('promote');
    if (!this.stages) {
      throw new MeshformError('the canary has no rollout stages', { construct: this.node.path, field: 'promote', fix: 'Give rollout: { stages: [5, 20, 50, 100] }, or call setWeights.' });
    }
    this.applyStage(step, 'promote');
  }

  /** The current weight of each version, in declaration order. */
  public currentWeights(): { name: string; weight: number }[] {
    return this.versions.map(({ name }) => ({ name, weight: this.weights.get(name)! }));
  }

  /**
   * What a GitOps tool must not revert when a controller owns the weights: the weights of the
   * `primary` route, as an Argo CD `ignoreDifferences` entry (Flux is told by the
   * `kustomize.toolkit.fluxcd.io/ssa: IfNotPresent` annotation meshform sets).
   */
  public gitOpsIgnoreDifferences(): IgnoreDifferences {
    return {
      group: 'networking.istio.io',
      kind: 'VirtualService',
      name: this.name,
      namespace: this.namespace,
      jqPathExpressions: [`.spec.http[] | select(.name == "${CONTROLLER_ROUTE}") | .route[].weight`],
    };
  }

  /** @internal */
  public _routeDestinations(fromNamespace: string): HttpRouteDestination[] {
    const host = this.hostFrom(fromNamespace);
    const port = this._destinationPort();
    // A version at 0% gets no traffic; leaving it out keeps the route as Istio's samples write it.
    // A controller needs every version listed to shift weight to it.
    return this.currentWeights()
      .filter(({ weight }) => weight > 0 || this.weightsOwner === 'controller')
      .map(({ name, weight }) => ({ destination: { host, subset: name, ...(port ? { port } : {}) }, weight }));
  }

  /** @internal */
  public _versionNames(): string[] {
    return this.versions.map(({ name }) => name);
  }

  protected override defaultRouteName(): string | undefined {
    return this.weightsOwner === 'controller' ? CONTROLLER_ROUTE : undefined;
  }

  protected override routing(): ServiceRouting {
    const routing = super.routing();
    if (this.weightsOwner === 'controller') {
      routing.virtualService!.metadata.addAnnotation('kustomize.toolkit.fluxcd.io/ssa', 'IfNotPresent');
    }
    return routing;
  }

  protected override headerPins(): { version: string; headers: Readonly<Record<string, string>> }[] {
    return this.versions
      .filter((version) => version.pinnedBy && Object.keys(version.pinnedBy).length > 0)
      .map((version) => ({ version: version.name, headers: version.pinnedBy! }));
  }

  private applyStage(step: number, field: string): void {
    const stages = this.stages!;
    if (!Number.isInteger(step) || step < 0 || step >= stages.length) {
      throw new MeshformError(`stage ${step} does not exist`, { construct: this.node.path, field, fix: `Stages are 0 to ${stages.length - 1} (${stages.join(', ')}%).` });
    }
    const canaryShare = stages[step]!;
    const [stable, canary] = this.versions;
    this.step = step;
    this.commitWeights(new Map([[stable!.name, 100 - canaryShare], [canary!.name, canaryShare]]));
  }

  private commitWeights(next: ReadonlyMap<string, number>): void {
    markMeshChanged();
    const previous = new Map(this.weights);
    for (const [name, weight] of next) this.weights.set(name, weight);
    try {
      // Construction is still running on the first call; routes are checked once they exist.
      if (this.virtualServiceExists()) this.routing().checkWeights();
    } catch (error) {
      for (const [name, weight] of previous) this.weights.set(name, weight);
      throw error;
    }
  }

  private virtualServiceExists(): boolean {
    return this.node.tryFindChild('VirtualService') !== undefined;
  }

  private assertOwnWeights(method: string): void {
    if (this.weightsOwner === 'controller') {
      throw new MeshformError('a controller owns the weights of this canary', {
        construct: this.node.path,
        field: method,
        fix: "Let the controller shift traffic, or set weightsOwner: 'meshform'.",
      });
    }
  }
}

/** Stages are canary shares between 0 and 100 that only grow: a rollout never steps back. */
function checkStages(rollout: RolloutOptions, versions: readonly CanaryVersion[], construct: string): readonly number[] {
  if (versions.length !== 2) {
    throw new MeshformError(`a rollout moves traffic between two versions, not ${versions.length}`, {
      construct,
      field: 'versions',
      fix: 'Give the stable version first and the canary second.',
    });
  }
  const weighted = versions.findIndex((version) => version.weight !== undefined);
  if (weighted >= 0) {
    throw new MeshformError('the version has a weight, but the rollout stages set the weights', {
      construct,
      field: `versions[${weighted}].weight`,
      fix: 'Leave weight out, or drop rollout.',
    });
  }
  const { stages } = rollout;
  if (!Array.isArray(stages) || stages.length === 0) {
    throw new MeshformError('the rollout has no stages', { construct, field: 'rollout.stages', fix: 'Give the canary share of each stage, e.g. [5, 20, 50, 100].' });
  }
  stages.forEach((share, index) => {
    if (typeof share !== 'number' || !Number.isInteger(share) || share < 0 || share > 100) {
      throw new MeshformError(`stage ${index} is ${String(share)}, not a whole percentage from 0 to 100`, { construct, field: `rollout.stages[${index}]`, fix: 'Give the canary share of the stage, e.g. 20.' });
    }
    if (index > 0 && share <= stages[index - 1]!) {
      throw new MeshformError(`stage ${index} (${share}%) does not follow stage ${index - 1} (${stages[index - 1]}%)`, {
        construct,
        field: `rollout.stages[${index}]`,
        fix: 'Give each stage a larger canary share than the one before, without repeats.',
      });
    }
  });
  return [...stages];
}
