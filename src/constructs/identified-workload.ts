import { MeshApiObject } from '../../imports/mesh-api-object.js';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { PlacementProps } from './options/placement.js';
import { INJECTION_MODES, type InjectionMode } from './options/sidecar-options.js';
import { assertOptionalOneOf } from '../core/index.js';
import { sidecarsFor, type SidecarSettings } from './pod-template.js';
import type { ConnectOptions } from './routing/connect-options.js';
import { enableMeshValidation } from './validation/mesh-validation.js';
import { WorkloadIdentity, type CallableWorkload, type Principal } from './workload-identity.js';

/** What every meshform workload is called and whom it runs as. */
export interface IdentifiedWorkloadProps extends PlacementProps {
  /**
   * Name of the workload.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Name of the ServiceAccount the pods run as; it is the workload's identity in the mesh.
   * @default - the workload's name
   */
  readonly serviceAccountName?: string;
  /**
   * How the pods get their sidecar.
   * @default - the mesh's (auto without a mesh)
   */
  readonly injection?: InjectionMode;
}

/**
 * A workload with an identity in the mesh: its name, namespace and sidecar settings, the
 * ServiceAccount its pods run as, and the calls it makes (`connectTo`).
 */
export abstract class IdentifiedWorkload extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  /** How this workload's pods get their sidecar. */
  public readonly sidecars: SidecarSettings;
  public readonly serviceAccount: ApiObject;
  protected readonly identity: WorkloadIdentity;

  /** `podsCreatedAtRunTime`: a controller makes the pods, so no manifest holds them. */
  protected constructor(scope: Construct, id: string, props: IdentifiedWorkloadProps, podsCreatedAtRunTime = false) {
    super(scope, id);
    enableMeshValidation(this);
    this.sidecars = sidecarsFor(props.mesh, assertOptionalOneOf(props.injection, INJECTION_MODES, { construct: this.node.path, field: 'injection' }));
    this.identity = new WorkloadIdentity(this, props, this.sidecars, podsCreatedAtRunTime);
    ({ name: this.name, namespace: this.namespace, serviceAccountName: this.serviceAccountName } = this.identity);
    // A plain ApiObject with the manifest as JSON: typed L1 classes would convert it on every render.
    this.serviceAccount = new MeshApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: this.serviceAccountName, namespace: this.namespace, labels: { app: this.name } },
    });
  }

  /** This workload's identity, for another workload's authorization policy. */
  public get principal(): Principal {
    return this.identity.principal;
  }

  /**
   * Declares that this workload calls `server` (a workload, an EgressGateway or an
   * ExternalService): the server's AuthorizationPolicy admits this workload's ServiceAccount (and
   * nothing else that was not declared), to the `ports`, `paths` and `methods` given or to
   * everything, and a scoped Sidecar lets the calls out.
   */
  public connectTo(server: CallableWorkload, options?: ConnectOptions): void {
    this.identity.connectTo(server, options);
  }
}
