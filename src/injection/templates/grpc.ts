import { agentEnv, inOrder } from './agent-env.js';
import { agentMounts, agentStateVolumes } from './agent-volumes.js';
import { canonicalLabels } from './canonical-labels.js';
import type { SidecarParts, TemplateInput } from './template-input.js';
import { agentArgs, appContainerNames, agentReadinessProbe, annotationReader, compact, imageFor, proxyResources } from './template-helpers.js';

/** gRPC applications read their xDS config themselves; Envoy's probe rewriting does not apply. */
const NO_PROBE_REWRITE = { 'sidecar.istio.io/rewriteAppHTTPProbers': 'false' };

/**
 * Istio's `grpc-agent` template: proxyless gRPC with the agent (no Envoy) serving certificates
 * and the xDS bootstrap to the application containers.
 */
export function renderGrpcAgent(input: TemplateInput): SidecarParts {
  const { values, annotations } = input;
  const proxy = values.global.proxy;
  const annotation = annotationReader(annotations);
  const apps = appContainerNames(input.spec);
  const env = agentEnv(input, { appContainers: apps, interceptionMode: 'REDIRECT' });
  env.delete('ISTIO_CPU_LIMIT');
  env.delete('GOMEMLIMIT');
  env.delete('ISTIO_META_INTERCEPTION_MODE');
  env.set('ISTIO_META_DNS_CAPTURE', { name: 'ISTIO_META_DNS_CAPTURE', value: 'false' });
  env.set('DISABLE_ENVOY', { name: 'DISABLE_ENVOY', value: 'true' });
  env.set('ISTIO_META_GENERATOR', { name: 'ISTIO_META_GENERATOR', value: 'grpc' });
  env.set('OUTPUT_CERTS', { name: 'OUTPUT_CERTS', value: '/var/lib/istio/data' });
  const pilotAgent = compact({
    name: 'istio-proxy',
    image: imageFor(annotation('sidecar.istio.io/proxyImage', proxy.image), values, annotations['sidecar.istio.io/proxyImageType']),
    ports: [{ containerPort: 15020, protocol: 'TCP', name: 'mesh-metrics' }],
    args: agentArgs('sidecar', annotation, values),
    lifecycle: { postStart: { exec: { command: ['pilot-agent', 'wait', '--url=http://localhost:15020/healthz/ready'] } } },
    env: inOrder(env, ['ISTIO_META_GENERATOR', 'OUTPUT_CERTS']),
    readinessProbe: agentReadinessProbe(annotation, values, 15020),
    resources: proxyResources(annotations, proxy.resources),
    volumeMounts: agentMounts('workload-socket', 'workload-certs', 'istiod-ca-cert', 'istio-data', 'istio-xds', 'istio-token', 'istio-podinfo'),
  });
  const applications = apps.map((name) => ({
    name,
    env: [
      { name: 'GRPC_XDS_EXPERIMENTAL_SECURITY_SUPPORT', value: 'true' },
      { name: 'GRPC_XDS_BOOTSTRAP', value: '/etc/istio/proxy/grpc-bootstrap.json' },
    ],
    volumeMounts: [
      { mountPath: '/var/lib/istio/data', name: 'istio-data' },
      { mountPath: '/etc/istio/proxy', name: 'istio-xds' },
      { mountPath: '/var/run/secrets/workload-spiffe-credentials', name: 'workload-certs' },
    ],
  }));
  const defaults: Record<string, string> = apps.length > 0 && !('kubectl.kubernetes.io/default-container' in annotations)
    ? { 'kubectl.kubernetes.io/default-logs-container': apps[0]!, 'kubectl.kubernetes.io/default-container': apps[0]! }
    : {};
  return {
    labels: canonicalLabels(input),
    annotations: { 'istio.io/rev': values.revision || 'default', ...defaults, ...NO_PROBE_REWRITE },
    initContainers: [],
    containers: [pilotAgent, ...applications],
    volumes: [
      { name: 'workload-socket' },
      { name: 'workload-certs' },
      { emptyDir: { medium: 'Memory' }, name: 'istio-xds' },
      ...agentStateVolumes(values.global.sds.token.aud),
    ],
    imagePullSecrets: [],
    native: false,
  };
}

const BOOTSTRAP_DIR = '/var/lib/grpc/data/';

/** Writes the xDS bootstrap a proxyless gRPC client reads: istiod as its xDS server, the pod as its node. */
const WRITE_BOOTSTRAP = [
  'cat > /var/lib/grpc/data/bootstrap.json <<EOF',
  '{"xds_servers": [{"server_uri": "dns:///istiod.${ISTIO_NAMESPACE}.svc:15010", "channel_creds": [{"type": "insecure"}], "server_features": ["xds_v3"]}],',
  ' "node": {"id": "sidecar~${INSTANCE_IP}~${POD_NAME}.${POD_NAMESPACE}~cluster.local", "metadata": {"GENERATOR": "grpc"}}}',
  'EOF',
].join('\n');

/** Istio's `grpc-simple` template: proxyless gRPC with only a bootstrap file written at start. */
export function renderGrpcSimple(input: TemplateInput): SidecarParts {
  const mount = { mountPath: BOOTSTRAP_DIR, name: 'grpc-io-proxyless-bootstrap' };
  const fieldRef = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  return {
    labels: {},
    annotations: { ...NO_PROBE_REWRITE },
    initContainers: [
      {
        name: 'grpc-bootstrap-init',
        image: 'busybox:1.28',
        volumeMounts: [mount],
        env: [
          fieldRef('INSTANCE_IP', 'status.podIP'),
          fieldRef('POD_NAME', 'metadata.name'),
          fieldRef('POD_NAMESPACE', 'metadata.namespace'),
          { name: 'ISTIO_NAMESPACE', value: `${input.values.global.istioNamespace}\n` },
        ],
        command: ['sh', '-c', WRITE_BOOTSTRAP],
      },
    ],
    containers: appContainerNames(input.spec).map((name) => ({
      name,
      env: [
        { name: 'GRPC_XDS_BOOTSTRAP', value: `${BOOTSTRAP_DIR}bootstrap.json` },
        { name: 'GRPC_GO_LOG_VERBOSITY_LEVEL', value: '99' },
        { name: 'GRPC_GO_LOG_SEVERITY_LEVEL', value: 'info' },
      ],
      volumeMounts: [mount],
    })),
    volumes: [{ emptyDir: {}, name: 'grpc-io-proxyless-bootstrap' }],
    imagePullSecrets: [],
    native: false,
  };
}
