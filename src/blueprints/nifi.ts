import type { Chart } from 'cdk8s';
import { checkProps } from '../constructs/validation/check-props.js';
import { HealthCheck, LoadBalancer, Mesh, MeshGateway, MeshService, ServicePort, type CertificateIssuer, type ContainerResources, type Principal } from '../index.js';

/** What a platform team varies between its NiFi clusters. */
export interface NifiOptions {
  /** @default 'nifi' */
  readonly namespace?: string;
  /** Identity of the ingress gateway pods. @default - MeshGateway's default (the installed gateway's in a MeshStack given `istio`) */
  readonly gatewayIdentity?: Principal;
  /** @default 'apache/nifi:2.11.0' */
  readonly image?: string;
  /**
   * Cluster nodes (StatefulSet replicas). Scaling out is safe; scaling in must decommission the
   * highest-numbered nodes first (see the README).
   * @default 3
   */
  readonly nodes?: number;
  /** Public host of the UI. @default 'nifi.example.com' */
  readonly host?: string;
  /** Secret (in the gateway namespace) with the public host's certificate. @default 'nifi-tls' */
  readonly tlsSecret?: string;
  /**
   * Have cert-manager issue the host's certificate into `tlsSecret`, from this issuer.
   * @default - none: the Secret is provided some other way
   */
  readonly certificateIssuer?: CertificateIssuer;
  /** Secret (in the gateway namespace) whose `ca.crt` signed the nodes' certificates. @default 'nifi-ca' */
  readonly caSecret?: string;
  /**
   * Secret with the nodes' keystore and truststore (`keystore.p12`, `truststore.p12`) and the keys
   * `keystore-password`, `truststore-password`, `sensitive-props-key`, `username`, `password`.
   * @default 'nifi-secrets'
   */
  readonly secretName?: string;
  /** @default 2 CPU / 6Gi requested, 4 CPU / 6Gi limit */
  readonly resources?: ContainerResources;
  /** JVM heap, about half the memory limit. @default '3g' */
  readonly heap?: string;
  /** Size of the content repository of each node. @default '50Gi' */
  readonly contentStorage?: string;
}

/**
 * An Apache NiFi 2 cluster behind the mesh: a StatefulSet whose headless Service declares every
 * port NiFi uses between nodes (cluster protocol 11443, load balancing 6342, site-to-site 10000)
 * and publishes nodes before they are ready, so that they find each other; Kubernetes leader
 * election and cluster state (Leases and ConfigMaps, no ZooKeeper); the UI behind an HTTPS gateway
 * that re-encrypts to NiFi's own TLS and keeps each user on one node with a dedicated cookie; one
 * node per host, a PodDisruptionBudget, and five minutes for a stopping node to offload its data.
 *
 * Adds the objects to `chart`: a cdk8s chart, or the one a Pulumi MeshStack's `build` is given.
 */
export function buildNifi(chart: Chart, given: NifiOptions = {}): void {
  const options = checkProps(given, 'NifiOptions', chart.node.path || 'buildNifi', '');
  const namespace = options.namespace ?? 'nifi';
  const host = options.host ?? 'nifi.example.com';
  const secretName = options.secretName ?? 'nifi-secrets';
  const secret = (key: string) => ({ secret: secretName, key });
  const mesh = new Mesh(chart, 'Mesh', { namespace, scopeSidecars: true });
  // Each node's own name, which NiFi advertises to its peers and which its certificate must carry.
  const nodeAddress = `$(POD_NAME).nifi-headless.${namespace}.svc.cluster.local`;

  const cluster = new MeshService(chart, 'nifi', {
    mesh,
    image: options.image ?? 'apache/nifi:2.11.0',
    replicas: options.nodes ?? 3,
    // The image's nifi user by number (runAsNonRoot cannot check a user name), owning the repositories.
    runAsUser: 1000,
    fsGroup: 1000,
    ports: [
      // NiFi terminates TLS itself on 8443.
      ServicePort.https(8443, { suffix: 'ui' }),
      ServicePort.tcp(11443, { suffix: 'cluster' }),
      ServicePort.tcp(6342, { suffix: 'balance' }),
      ServicePort.tcp(10000, { suffix: 's2s' }),
    ],
    stateful: {
      podManagementPolicy: 'Parallel',
      publishNotReadyAddresses: true,
      volumeClaims: [
        { name: 'flowfile', mountPath: '/opt/nifi/nifi-current/flowfile_repository', storage: '10Gi' },
        { name: 'content', mountPath: '/opt/nifi/nifi-current/content_repository', storage: options.contentStorage ?? '50Gi' },
        { name: 'provenance', mountPath: '/opt/nifi/nifi-current/provenance_repository', storage: '10Gi' },
        { name: 'state', mountPath: '/opt/nifi/nifi-current/state', storage: '1Gi' },
      ],
    },
    fieldEnv: { POD_NAME: 'metadata.name' },
    env: {
      NIFI_CLUSTER_IS_NODE: 'true',
      NIFI_CLUSTER_ADDRESS: nodeAddress,
      NIFI_CLUSTER_NODE_PROTOCOL_PORT: '11443',
      NIFI_CLUSTER_LOAD_BALANCE_PORT: '6342',
      NIFI_CLUSTER_LEADER_ELECTION_IMPLEMENTATION: 'KubernetesLeaderElectionManager',
      NIFI_STATE_MANAGEMENT_PROVIDER_CLUSTER: 'kubernetes-provider',
      NIFI_ELECTION_MAX_WAIT: '1 min',
      NIFI_WEB_HTTPS_PORT: '8443',
      NIFI_WEB_HTTPS_HOST: nodeAddress,
      // The public host the gateway forwards, or NiFi answers 421.
      NIFI_WEB_PROXY_HOST: `${host},${host}:443`,
      NIFI_REMOTE_INPUT_HOST: nodeAddress,
      NIFI_REMOTE_INPUT_SOCKET_PORT: '10000',
      NIFI_JVM_HEAP_INIT: options.heap ?? '3g',
      NIFI_JVM_HEAP_MAX: options.heap ?? '3g',
      KEYSTORE_PATH: '/opt/nifi/tls/keystore.p12',
      KEYSTORE_TYPE: 'PKCS12',
      TRUSTSTORE_PATH: '/opt/nifi/tls/truststore.p12',
      TRUSTSTORE_TYPE: 'PKCS12',
    },
    secretEnv: {
      KEYSTORE_PASSWORD: secret('keystore-password'),
      TRUSTSTORE_PASSWORD: secret('truststore-password'),
      NIFI_SENSITIVE_PROPS_KEY: secret('sensitive-props-key'),
      SINGLE_USER_CREDENTIALS_USERNAME: secret('username'),
      SINGLE_USER_CREDENTIALS_PASSWORD: secret('password'),
    },
    files: [{ name: 'tls', mountPath: '/opt/nifi/tls', secret: secretName }],
    resources: options.resources ?? { requests: { cpu: '2', memory: '6Gi' }, limits: { cpu: '4', memory: '6Gi' } },
    readiness: HealthCheck.tcp({ port: 8443, periodSeconds: 10 }),
    liveness: HealthCheck.tcp({ port: 8443, periodSeconds: 30 }),
    terminationGracePeriodSeconds: 300,
    topologySpread: { across: 'hostname', required: true },
    disruptionBudget: { maxUnavailable: 1 },
    // Leader election on Leases and cluster state in ConfigMaps, instead of ZooKeeper.
    kubernetesApiAccess: [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] },
    ],
    // The gateway re-encrypts to NiFi's TLS, which the sidecar passes on (non-Istio TLS on 8443).
    mtls: { portLevelMtls: { 8443: 'PERMISSIVE' } },
  });
  // The nodes talk to each other on every port: cluster protocol, load balancing, site-to-site.
  cluster.connectTo(cluster, { ports: [11443, 6342, 10000] });

  const gateway = new MeshGateway(chart, 'gateway', {
    mesh,
    name: 'nifi',
    // HTTPS only: port 80 of the shared ingress gateway serves every host for Bookinfo.
    https: { hosts: [host], credentialName: options.tlsSecret ?? 'nifi-tls', ...(options.certificateIssuer ? { certificate: { issuer: options.certificateIssuer } } : {}) },
    gatewayIdentity: options.gatewayIdentity,
  });
  gateway.route({
    host,
    to: cluster,
    timeout: '300s',
    // Verified against the CA of the nodes' certificates (`ca.crt` of a Secret beside the gateway pods).
    backendTls: { mode: 'SIMPLE', sni: `nifi.${namespace}.svc.cluster.local`, credentialName: options.caSecret ?? 'nifi-ca' },
    // Each user stays on one node (its JWT signing key and transaction cache are local), with a
    // cookie of our own: NiFi's token cookie is absent at login and may be renamed. Longer than
    // NiFi's 12-hour sessions; soft affinity, so a scaling event moves some users.
    loadBalancer: LoadBalancer.stickyCookie('nifi-route', '13h'),
  });
}
