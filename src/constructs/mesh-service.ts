import { MeshApiObject } from '../../imports/mesh-api-object.js';
import type { Construct } from 'constructs';
import type { StatefulOptions } from './options/stateful-options.js';
import type { Autoscaling } from './scaling/autoscaling.js';
import type { HttpRouteDestination } from './routing/http-route-options.js';
import { MeshWorkload, type MeshWorkloadProps } from './mesh-workload.js';
import type { ContainerOptions } from './options/workload-options.js';
import { constructProps } from './validation/check-props.js';

export interface MeshServiceProps extends MeshWorkloadProps, ContainerOptions {
  /** Container image of the application. */
  readonly image: string;
  /**
   * Value of the pods' `version` label (and the DestinationRule subset).
   * @default 'v1'
   */
  readonly version?: string;
  /**
   * Run as a StatefulSet with a headless Service (stable names, a volume per pod).
   * @default - a Deployment
   */
  readonly stateful?: StatefulOptions;
  /**
   * Who sets the replica count: `Autoscaling.cpu(…)` (a HorizontalPodAutoscaler) or
   * `Autoscaling.keda(…)` (a KEDA ScaledObject), one of the two.
   * @default - `replicas`
   */
  readonly autoscaling?: Autoscaling;
}

/**
 * A service in the mesh: ServiceAccount, one Deployment (labels `app` and `version`), a Service
 * whose ports follow Istio's naming convention, a DestinationRule with mutual TLS and an
 * AuthorizationPolicy that admits the workloads that `connectTo` it.
 */
export class MeshService extends MeshWorkload {
  public readonly version: string;

  public constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id, constructProps(scope, id, props, 'MeshServiceProps'));
    this.version = props.version ?? 'v1';
    const workload = this.addVersion({ ...props, name: this.version }, { stateful: props.stateful, autoscaled: props.autoscaling !== undefined });
    if (props.autoscaling) {
      const target = { apiVersion: 'apps/v1', kind: workload.kind, name: workload.name };
      new MeshApiObject(this, 'Autoscaler', props.autoscaling._toManifest(target, { name: this.name, namespace: this.namespace }, { construct: this.node.path }));
    }
    const routeOptions = ['timeout', 'retries', 'fault', 'mirror', 'cors', 'rewrite'] as const;
    if ((props.routes?.length ?? 0) > 0 || routeOptions.some((option) => props[option] !== undefined)) this.routing();
    this.addRoutes(props.routes);
  }

  /** @internal */
  public _routeDestinations(fromNamespace: string): HttpRouteDestination[] {
    const port = this._destinationPort();
    return [{ destination: { host: this.hostFrom(fromNamespace), ...(port ? { port } : {}) } }];
  }

  /** @internal */
  public _versionNames(): string[] {
    return [this.version];
  }
}
