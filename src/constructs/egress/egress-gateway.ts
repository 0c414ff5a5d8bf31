import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, Gateway, ServiceEntry, VirtualService } from '../../../imports/networking.istio.io.js';
import { AuthorizationPolicy } from '../../../imports/security.istio.io.js';
import { suppressedFindings } from '../../analysis/index.js';
import { assertDnsLabel, assertPort, assertExternalHost, assertSelector, MeshformError, serviceFqdn, sortedLabels, type ErrorLocation, type Labels } from '../../core/index.js';
import { deployGateway, type GatewayDeploymentOptions } from '../gateway-deployment.js';
import { sidecarsFor } from '../pod-template.js';
import { placeIn, type PlacementProps } from '../options/placement.js';
import { markMeshChanged } from '../validation/synth-turn.js';
import { enableMeshValidation } from '../validation/mesh-validation.js';
import type { CallableWorkload, Principal } from '../workload-identity.js';
import type { CallOperation } from '../routing/connect-options.js';
import { checkedId } from '../validation/check-props.js';

// The system CA bundle of Istio's proxy image.
const PROXY_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * How traffic to the external host leaves the mesh: the application's own TLS passed through
 * untouched, or plain HTTP from the application that the egress gateway encrypts (so that the
 * gateway sees, logs and authorizes each request).
 */
export type EgressMode = 'passthrough' | 'originate';

/** An egress gateway installed elsewhere (Istio's `istio-egressgateway` in istio-system, say). */
export interface ExistingEgressGateway {
  /** Labels of its pods. */
  readonly selector: Labels;
  /** Name of its Service. */
  readonly serviceName: string;
  /** Namespace of its pods and Service. */
  readonly namespace: string;
}

export interface EgressGatewayProps extends PlacementProps {
  /**
   * Name of the objects (ServiceEntry, Gateway, VirtualService) and of the deployed gateway.
   * @default - the construct id
   */
  readonly name?: string;
  /** The external host, e.g. `'api.stripe.com'`. */
  readonly host: string;
  /**
   * `passthrough` (the application speaks TLS) or `originate` (the application speaks HTTP to
   * `http://host`, the gateway speaks HTTPS to the host).
   * @default 'passthrough'
   */
  readonly mode?: EgressMode;
  /**
   * The host's TLS port.
   * @default 443
   */
  readonly port?: number;
  /**
   * The port applications call in `originate` mode.
   * @default 80
   */
  readonly httpPort?: number;
  /**
   * In `originate` mode, the CA bundle (a path in the gateway's proxy) that the host's
   * certificate must chain to.
   * @default '/etc/ssl/certs/ca-certificates.crt' (the public CAs in Istio's proxy image)
   */
  readonly caCertificates?: string;
  /**
   * Run this gateway's own proxies (the default), with these settings.
   * @default - 2 replicas behind a ClusterIP Service
   */
  readonly deployment?: Omit<GatewayDeploymentOptions, 'serviceType'>;
  /**
   * Use an egress gateway installed elsewhere instead of deploying one.
   * @default - deploy one
   */
  readonly existing?: ExistingEgressGateway;
}

/**
 * The one way out of the mesh to an external host: a ServiceEntry for the host, an egress
 * Gateway, and a VirtualService that sends the mesh's requests for the host to the gateway and
 * the gateway's on to the host. Workloads that `connectTo` it are the only callers the gateway
 * admits. With the mesh's `outboundTrafficPolicy: 'REGISTRY_ONLY'` nothing else leaves.
 */
export class EgressGateway extends Construct implements CallableWorkload {
  public readonly name: string;
  public readonly namespace: string;
  /** The external host. */
  public readonly host: string;
  public readonly mode: EgressMode;
  /** The gateway's Service host, which the mesh's requests for the host go to first. */
  public readonly gatewayHost: string;
  private readonly callers = new Map<string, Principal>();
  private readonly gatewayNamespace: string;

  public constructor(scope: Construct, id: string, props: EgressGatewayProps) {
    super(scope, checkedId(scope, id, props, 'EgressGatewayProps'));
    enableMeshValidation(this);
    const path = this.node.path;
    this.name = assertDnsLabel(props.name ?? id, { construct: path, field: 'name' });
    this.namespace = placeIn(this, props);
    this.host = assertExternalHost(props.host, { construct: path, field: 'host' });
    this.mode = props.mode ?? 'passthrough';
    if (this.mode !== 'passthrough' && this.mode !== 'originate') {
      throw new MeshformError(`mode "${String(this.mode)}" is not known`, { construct: path, field: 'mode', fix: "Use 'passthrough' or 'originate'." });
    }
    const tlsPort = assertPort(props.port ?? 443, { construct: path, field: 'port' });
    const httpPort = assertPort(props.httpPort ?? 80, { construct: path, field: 'httpPort' });
    if (this.mode === 'originate' && httpPort === tlsPort) {
      throw new MeshformError(`httpPort and port are both ${tlsPort}`, { construct: path, field: 'httpPort', fix: 'Applications call the HTTP port; the host listens on the TLS port. Give them different numbers.' });
    }
    if (props.existing && props.deployment) {
      throw new MeshformError('both existing and deployment are given', { construct: path, field: 'existing', fix: 'Deploy a gateway or use an existing one, not both.' });
    }
    // The port the mesh sends to the gateway on, inside Istio's mTLS either way: the application's TLS port, or the HTTP port.
    const gatewayPort = this.mode === 'passthrough' ? tlsPort : httpPort;
    if (props.existing) {
      assertSelector(props.existing.selector, { construct: path, field: 'existing.selector' });
      assertDnsLabel(props.existing.namespace, { construct: path, field: 'existing.namespace' });
      assertDnsLabel(props.existing.serviceName, { construct: path, field: 'existing.serviceName' });
    }
    const selector = { ...(props.existing?.selector ?? { istio: this.name }) };
    this.gatewayNamespace = props.existing?.namespace ?? this.namespace;
    if (!props.existing) {
      deployGateway(this, {
        name: this.name,
        namespace: this.namespace,
        labels: selector,
        ports: [{ name: this.mode === 'passthrough' ? 'tls' : 'http2', number: gatewayPort }],
        options: { ...props.deployment, serviceType: 'ClusterIP' },
        sidecars: sidecarsFor(props.mesh, undefined),
      });
    }
    this.gatewayHost = serviceFqdn(props.existing?.serviceName ?? this.name, this.gatewayNamespace);

    // An existing gateway's pods and Service are not in this output, so analysis (meshform's or
    // istioctl's) cannot find them; the objects that refer to them say so.
    const refersToExisting = (code: string) => (props.existing ? suppressedFindings(code) : {});
    new ServiceEntry(this, 'ServiceEntry', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        hosts: [this.host],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
        ports:
          this.mode === 'passthrough'
            ? [{ number: tlsPort, name: 'tls', protocol: 'TLS' }]
            : [
                { number: httpPort, name: 'http', protocol: 'HTTP' },
                { number: tlsPort, name: 'https', protocol: 'HTTPS' },
              ],
      },
    });
    new Gateway(this, 'Gateway', {
      metadata: { name: this.name, namespace: this.namespace, ...refersToExisting('IST0101') },
      spec: {
        selector,
        // The sidecars reach the gateway inside Istio's mTLS, which the gateway terminates, so it
        // knows each caller's identity: it then forwards the application's own TLS untouched
        // (passthrough) or originates TLS to the host.
        servers: [
          this.mode === 'passthrough'
            ? { port: { number: tlsPort, name: 'tls', protocol: 'TLS' }, hosts: [this.host], tls: { mode: 'ISTIO_MUTUAL' } }
            : { port: { number: httpPort, name: 'https-origination', protocol: 'HTTPS' }, hosts: [this.host], tls: { mode: 'ISTIO_MUTUAL' } },
        ],
      },
    });
    const fromMesh = { gateways: ['mesh'], port: gatewayPort };
    const fromGateway = { gateways: [this.name], port: gatewayPort };
    new VirtualService(this, 'VirtualService', {
      metadata: { name: this.name, namespace: this.namespace, ...refersToExisting('IST0101') },
      spec:
        this.mode === 'passthrough'
          ? {
              hosts: [this.host],
              gateways: ['mesh', this.name],
              tls: [{ match: [{ ...fromMesh, sniHosts: [this.host] }], route: [{ destination: { host: this.gatewayHost, port: { number: tlsPort } } }] }],
              // What the gateway holds once it has terminated the mTLS is the application's TLS stream: TCP to the host.
              tcp: [{ match: [fromGateway], route: [{ destination: { host: this.host, port: { number: tlsPort } } }] }],
            }
          : {
              hosts: [this.host],
              gateways: ['mesh', this.name],
              http: [
                { name: 'to-egress-gateway', match: [fromMesh], route: [{ destination: { host: this.gatewayHost, port: { number: httpPort } } }] },
                { name: 'to-external-host', match: [fromGateway], route: [{ destination: { host: this.host, port: { number: tlsPort } } }] },
              ],
            },
    });
    // The sidecars' side of the mTLS hop; the SNI picks the gateway server for this host.
    new DestinationRule(this, 'GatewayDestinationRule', {
      metadata: { name: `${this.name}-gateway`, namespace: this.namespace, ...refersToExisting('IST0174') },
      spec: {
        host: this.gatewayHost,
        trafficPolicy: { portLevelSettings: [{ port: { number: gatewayPort }, tls: { mode: 'ISTIO_MUTUAL', sni: this.host } }] },
      },
    });
    if (this.mode === 'originate') {
      new DestinationRule(this, 'OriginationDestinationRule', {
        metadata: { name: `${this.name}-origination`, namespace: this.namespace },
        spec: {
          host: this.host,
          // The gateway checks that the host's certificate chains to the CAs and names the host.
          trafficPolicy: {
            portLevelSettings: [
              {
                port: { number: tlsPort },
                tls: { mode: 'SIMPLE', sni: this.host, subjectAltNames: [this.host], caCertificates: props.caCertificates ?? PROXY_CA_BUNDLE },
              },
            ],
          },
        },
      });
    }
    new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      metadata: { name: this.name, namespace: this.gatewayNamespace, ...refersToExisting('IST0127') },
      spec: Lazy.any({ produce: () => this.renderAuthorization(selector) }),
    });
  }

  /** The external host, as a caller's Sidecar names it. */
  public get fqdn(): string {
    return this.host;
  }

  /** Admits a workload to this way out (done by `connectTo`). */
  public allowFrom(principal: Principal, operation?: CallOperation, location?: ErrorLocation): void {
    markMeshChanged();
    if (operation) {
      throw new MeshformError(`the egress gateway ${this.name} admits callers to its host as a whole`, {
        construct: location?.construct,
        field: location?.field ?? 'allowFrom',
        fix: 'Leave out ports, paths and methods when connecting to an EgressGateway.',
      });
    }
    this.callers.set(`${principal.namespace}/${principal.serviceAccountName}`, principal);
  }

  /** A caller's proxy needs the gateway's Service as well as the external host. @internal */
  public _sidecarHosts(): string[] {
    return [`${this.namespace}/${this.host}`, `${this.gatewayNamespace}/${this.gatewayHost}`];
  }

  private renderAuthorization(selector: Labels): object {
    const principals = [...this.callers.values()].map(({ namespace, serviceAccountName }) => `cluster.local/ns/${namespace}/sa/${serviceAccountName}`).sort();
    // Only declared callers may leave through the gateway, and only to this host: by the SNI of
    // the mTLS hop for passed-through TLS (the gateway sees no HTTP), by Host header once the
    // gateway reads HTTP. Either way the caller's principal is the one its mTLS certificate names.
    const toHost =
      this.mode === 'passthrough'
        ? { when: [{ key: 'connection.sni', values: [this.host] }] }
        : { to: [{ operation: { hosts: [this.host, `${this.host}:*`] } }] };
    return {
      selector: { matchLabels: sortedLabels(selector) },
      action: 'ALLOW',
      ...(principals.length > 0 ? { rules: [{ from: [{ source: { principals } }], ...toHost }] } : {}),
    };
  }
}
