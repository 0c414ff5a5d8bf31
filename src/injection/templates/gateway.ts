import { agentEnv, inOrder } from './agent-env.js';
import { agentMounts, agentStateVolumes } from './agent-volumes.js';
import { canonicalLabels } from './canonical-labels.js';
import type { SidecarParts, TemplateInput } from './template-input.js';
import { agentArgs, appContainerNames, agentReadinessProbe, annotationReader, compact, imageFor } from './template-helpers.js';

/**
 * Istio's `gateway` template: the pod is the proxy (`proxy router`), with no iptables and no
 * sidecar layout; it may bind ports below 1024.
 */
export function renderGateway(input: TemplateInput): SidecarParts {
  const { annotations, values, proxyConfig } = input;
  const proxy = values.global.proxy;
  const annotation = annotationReader(annotations);
  const appContainers: string[] = appContainerNames(input.spec);
  const env = agentEnv(input, { appContainers, interceptionMode: proxyConfig.interceptionMode ?? 'REDIRECT' });
  const gateway = compact({
    name: 'istio-proxy',
    image: imageFor(annotation('sidecar.istio.io/proxyImage', proxy.image), values, annotations['sidecar.istio.io/proxyImageType']),
    ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
    args: agentArgs('router', annotation, values),
    env: inOrder(env, [
      'PILOT_CERT_PROVIDER', 'CA_ADDR', 'POD_NAME', 'POD_NAMESPACE', 'INSTANCE_IP', 'SERVICE_ACCOUNT', 'HOST_IP', 'ISTIO_CPU_LIMIT',
      'PROXY_CONFIG', 'ISTIO_META_POD_PORTS', 'GOMEMLIMIT', 'ISTIO_META_APP_CONTAINERS',
    ]),
    readinessProbe: agentReadinessProbe(annotation, values, 15021),
    securityContext: { runAsUser: input.proxyUid ?? 1337, runAsGroup: input.proxyGid ?? 1337 },
    volumeMounts: agentMounts('workload-socket', 'credential-socket', 'workload-certs', 'istiod-ca-cert', 'istio-data', 'istio-envoy', 'istio-token', 'istio-podinfo'),
  });
  return {
    labels: canonicalLabels(input),
    annotations: { 'istio.io/rev': values.revision || 'default' },
    initContainers: [],
    containers: [gateway],
    volumes: [
      { name: 'workload-socket' },
      { emptyDir: {}, name: 'credential-socket' },
      { emptyDir: {}, name: 'workload-certs' },
      { emptyDir: { medium: 'Memory' }, name: 'istio-envoy' },
      ...agentStateVolumes(values.global.sds.token.aud),
    ],
    imagePullSecrets: [],
    native: false,
    podSecurityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
  };
}
