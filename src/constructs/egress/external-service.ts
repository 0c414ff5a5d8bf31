import { Construct } from 'constructs';
import { ServiceEntry } from '../../../imports/networking.istio.io.js';
import { assertDnsLabel, assertExternalHost, MeshformError, type ErrorLocation, type ServicePort } from '../../core/index.js';
import { placeIn, type PlacementProps } from '../options/placement.js';
import type { CallOperation } from '../routing/connect-options.js';
import { enableMeshValidation } from '../validation/mesh-validation.js';
import type { CallableWorkload, Principal } from '../workload-identity.js';

export interface ExternalServiceProps extends PlacementProps {
  /** DNS name of the service outside the mesh, e.g. a managed database's endpoint. */
  readonly host: string;
  /** Its ports, named for their protocol (`ServicePort.tcp(5432, { suffix: 'postgres' })`). */
  readonly ports: readonly ServicePort[];
  /**
   * Name of the ServiceEntry.
   * @default - the construct id
   */
  readonly name?: string;
}

/**
 * A service outside the mesh that workloads call directly (a managed database, a broker): a
 * ServiceEntry, so that the mesh knows its protocol and scoped or REGISTRY_ONLY proxies can reach
 * it. It admits no one itself: `connectTo` only lets the caller's proxy out. For TLS to a public
 * host through one controlled way out, use an EgressGateway.
 */
export class ExternalService extends Construct implements CallableWorkload {
  public readonly name: string;
  public readonly namespace: string;
  public readonly host: string;

  public constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    enableMeshValidation(this);
    const path = this.node.path;
    this.name = assertDnsLabel(props.name ?? id, { construct: path, field: 'name' });
    this.namespace = placeIn(this, props);
    this.host = assertExternalHost(props.host, { construct: path, field: 'host' });
    if (!Array.isArray(props.ports) || props.ports.length === 0) {
      throw new MeshformError('the external service has no port', { construct: path, field: 'ports', fix: "Give its ports, e.g. [ServicePort.tcp(5432, { suffix: 'postgres' })]." });
    }
    new ServiceEntry(this, 'ServiceEntry', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        hosts: [this.host],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
        ports: props.ports.map((port) => ({ number: port.port, name: port.name, protocol: port.protocol.toUpperCase() })),
      },
    });
  }

  public get fqdn(): string {
    return this.host;
  }

  /** Nothing outside the mesh reads Istio's policies: callers are let out, not admitted. */
  public allowFrom(_principal: Principal, operation?: CallOperation, location?: ErrorLocation): void {
    if (operation) {
      throw new MeshformError(`${this.host} is outside the mesh, which cannot restrict what callers do there`, {
        construct: location?.construct,
        field: location?.field ?? 'allowFrom',
        fix: 'Leave out ports, paths and methods when connecting to an ExternalService.',
      });
    }
  }

  /** @internal */
  public _sidecarHosts(): string[] {
    return [`${this.namespace}/${this.host}`];
  }
}
