import { MeshApiObject } from '../../imports/mesh-api-object.js';
import type { Construct } from 'constructs';
import { renderKubernetesApiAccess, type KubernetesApiRule } from './security/kubernetes-api-access.js';
import { assertDnsLabel, ISTIO_SYSTEM_NAMESPACE, MeshformError, type ErrorLocation } from '../core/index.js';
import { checkConnectOptions, type CallOperation, type ConnectOptions } from './routing/connect-options.js';
import { OutboundScope, type OutboundTarget } from './outbound-scope.js';
import { placeIn, type PlacementProps } from './options/placement.js';
import type { SidecarSettings } from './pod-template.js';
import { checkProps } from './validation/check-props.js';

/** A workload identity allowed to call another workload. */
export interface Principal {
  readonly serviceAccountName: string;
  readonly namespace: string;
}

/** A workload that others may call: it admits callers and has a cluster-local name. */
export interface CallableWorkload extends OutboundTarget {
  /**
   * Admits a caller, to everything or to the operation given; `location` names the caller's
   * `connectTo` in errors.
   */
  allowFrom(principal: Principal, operation?: CallOperation, location?: ErrorLocation): void;
}

/** The API server's Service, as a scoped Sidecar must list it. */
const KUBERNETES_API: OutboundTarget = {
  namespace: 'default',
  fqdn: 'kubernetes.default.svc.cluster.local',
  _sidecarHosts: () => ['default/kubernetes.default.svc.cluster.local'],
};

/**
 * Who a workload is in the mesh (name, namespace, ServiceAccount, all checked) and whom it calls:
 * the part of the service graph that MeshWorkload and MeshJob share.
 */
export class WorkloadIdentity implements Principal {
  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  private readonly outbound: OutboundScope;
  private readonly path: string;

  public constructor(
    owner: Construct,
    props: PlacementProps & { readonly name?: string; readonly serviceAccountName?: string },
    sidecars: SidecarSettings,
    podsCreatedAtRunTime = false,
  ) {
    const path = owner.node.path;
    this.path = path;
    this.name = assertDnsLabel(props.name ?? owner.node.id, { construct: path, field: 'name' });
    this.namespace = placeIn(owner, props);
    this.serviceAccountName = assertDnsLabel(props.serviceAccountName ?? this.name, { construct: path, field: 'serviceAccountName' });
    // A scoped proxy still needs the control plane's services.
    this.outbound = new OutboundScope(owner, this, sidecars.scoped && sidecars.mode !== 'disabled' ? ISTIO_SYSTEM_NAMESPACE : undefined, sidecars.registryOnly ?? false, podsCreatedAtRunTime);
  }

  /** This identity as a caller, for a server's authorization policy. */
  public get principal(): Principal {
    return { serviceAccountName: this.serviceAccountName, namespace: this.namespace };
  }

  /**
   * Grants the workload's ServiceAccount calls to the Kubernetes API (a Role and RoleBinding), and
   * lets its proxy reach the API server's Service.
   */
  public grantKubernetesApi(owner: Construct, rules: readonly KubernetesApiRule[]): void {
    for (const manifest of renderKubernetesApiAccess(rules, this, { construct: this.path })) {
      new MeshApiObject(owner, String(manifest.kind), manifest);
    }
    this.outbound.add(KUBERNETES_API);
  }

  /** Records that this workload calls `server`: the server admits it, and its proxy may reach the server. */
  public connectTo(server: CallableWorkload, options?: ConnectOptions): void {
    const location = { construct: this.path, field: 'connectTo' };
    if (server === null || typeof server !== 'object' || typeof server.allowFrom !== 'function') {
      throw new MeshformError('the server is not a workload', { ...location, fix: 'Give a MeshService, CanaryService, ExternalService or another construct that can be called.' });
    }
    checkProps(options, 'ConnectOptions', location.construct, location.field);
    server.allowFrom(this.principal, checkConnectOptions(options, location), location);
    this.outbound.add(server);
  }
}
