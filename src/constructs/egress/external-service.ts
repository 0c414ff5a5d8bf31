import { isIP } from 'node:net';
import { Construct } from 'constructs';
import { ServiceEntry } from '../../../imports/networking.istio.io.js';
import { assertDnsLabel, assertExternalHost, isCidr, MeshformError, type ErrorLocation, type ServicePort } from '../../core/index.js';
import { placeIn, type PlacementProps } from '../options/placement.js';
import type { CallOperation } from '../routing/connect-options.js';
import { enableMeshValidation } from '../validation/mesh-validation.js';
import type { CallableWorkload, Principal } from '../workload-identity.js';
import { checkedId } from '../validation/check-props.js';

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
  /**
   * The service's addresses (IPs, or CIDRs with resolution `NONE` or `STATIC`). Calls to a TCP port
   * are matched by destination address only, so a TCP service needs them unless the proxies
   * capture DNS and Istio allocates addresses (IST0134).
   * @default - none
   */
  readonly addresses?: readonly string[];
  /**
   * How the proxies find the endpoints: `DNS` (resolve the host), `DNS_ROUND_ROBIN` (one address
   * at a time), `STATIC` (the `endpoints` given) or `NONE` (the address the application dialled).
   * @default 'DNS'
   */
  readonly resolution?: ExternalResolution;
  /**
   * With resolution `STATIC`: the endpoints' IP addresses.
   * @default - none
   */
  readonly endpoints?: readonly string[];
  /**
   * Namespaces the ServiceEntry is visible to (`.` its own, `*` all).
   * @default - all namespaces (Istio's default)
   */
  readonly exportTo?: readonly string[];
}

/** Istio's ServiceEntry resolutions that an external service can use. */
export type ExternalResolution = 'DNS' | 'DNS_ROUND_ROBIN' | 'STATIC' | 'NONE';

const RESOLUTIONS: readonly ExternalResolution[] = ['DNS', 'DNS_ROUND_ROBIN', 'STATIC', 'NONE'];
/** An IP address, or with `cidr` a CIDR block too. */
const isAddress = (value: string, cidr: boolean): boolean => isIP(value) !== 0 || (cidr && isCidr(value));

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
    super(scope, checkedId(scope, id, props, 'ExternalServiceProps'));
    enableMeshValidation(this);
    const path = this.node.path;
    this.name = assertDnsLabel(props.name ?? id, { construct: path, field: 'name' });
    this.namespace = placeIn(this, props);
    this.host = assertExternalHost(props.host, { construct: path, field: 'host' });
    if (!Array.isArray(props.ports) || props.ports.length === 0) {
      throw new MeshformError('the external service has no port', { construct: path, field: 'ports', fix: "Give its ports, e.g. [ServicePort.tcp(5432, { suffix: 'postgres' })]." });
    }
    const resolution = props.resolution ?? 'DNS';
    if (!RESOLUTIONS.includes(resolution)) {
      throw new MeshformError(`resolution "${String(resolution)}" is not known`, { construct: path, field: 'resolution', fix: `Use one of ${RESOLUTIONS.join(', ')}.` });
    }
    // CIDR blocks only make sense where the proxy matches the dialled address (Istio's CRD rule).
    const cidrs = resolution === 'NONE' || resolution === 'STATIC';
    const addresses = [...(props.addresses ?? [])];
    addresses.forEach((address, index) => {
      if (typeof address !== 'string' || !isAddress(address, cidrs)) {
        throw new MeshformError(`"${String(address)}" is not an IP address${cidrs ? ' or CIDR block' : ''}`, {
          construct: path,
          field: `addresses[${index}]`,
          fix: cidrs ? 'Give an IPv4 or IPv6 address, or a CIDR block such as 10.1.0.0/16.' : "Give an IP address; CIDR blocks need resolution 'NONE' or 'STATIC'.",
        });
      }
    });
    const endpoints = [...(props.endpoints ?? [])];
    if (resolution === 'STATIC' && endpoints.length === 0) {
      throw new MeshformError('resolution STATIC needs endpoints', { construct: path, field: 'endpoints', fix: 'List the IP addresses of the endpoints, or use DNS resolution.' });
    }
    if (resolution !== 'STATIC' && endpoints.length > 0) {
      throw new MeshformError(`endpoints are given with resolution ${resolution}`, { construct: path, field: 'endpoints', fix: "Give endpoints with resolution 'STATIC' only; DNS finds the endpoints of the host itself." });
    }
    endpoints.forEach((endpoint, index) => {
      if (typeof endpoint !== 'string' || !isAddress(endpoint, false)) {
        throw new MeshformError(`"${String(endpoint)}" is not an IP address`, { construct: path, field: `endpoints[${index}]`, fix: 'Give the IPv4 or IPv6 address of each endpoint.' });
      }
    });
    const exportTo = props.exportTo === undefined ? undefined : [...props.exportTo];
    exportTo?.forEach((namespace, index) => {
      if (namespace !== '.' && namespace !== '*') assertDnsLabel(namespace, { construct: path, field: `exportTo[${index}]` });
    });
    new ServiceEntry(this, 'ServiceEntry', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        hosts: [this.host],
        ...(addresses.length > 0 ? { addresses } : {}),
        location: 'MESH_EXTERNAL',
        resolution,
        ports: props.ports.map((port) => ({ number: port.port, name: port.name, protocol: port.protocol.toUpperCase() })),
        ...(endpoints.length > 0 ? { endpoints: endpoints.map((address) => ({ address })) } : {}),
        ...(exportTo ? { exportTo } : {}),
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
