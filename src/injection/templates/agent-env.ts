import { proxyConfigJson } from '../proxy-config.js';
import type { EnvVar } from '../pod-types.js';
import type { TemplateInput } from './template-input.js';
import { metadataEnv, podPortsJson } from './template-helpers.js';

/** An environment variable of pilot-agent; Go leaves out an empty value. */
function variable(name: string, value: string): EnvVar {
  return value === '' ? { name } : { name, value };
}

/**
 * pilot-agent's environment as the sidecar template writes it, in its order, by name, so that
 * the gateway and gRPC templates can take the same variables in theirs.
 */
export function agentEnv(input: TemplateInput, context: { appContainers: readonly string[]; interceptionMode: string }): Map<string, EnvVar> {
  const { values, proxyConfig, labels, annotations, owner } = input;
  const fieldRef = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  const resourceRef = (name: string, resource: string) => ({ name, valueFrom: { resourceFieldRef: { resource, divisor: '1' } } });
  const trustDomain = (input.mesh.trustDomain as string | undefined) || values.global.trustDomain;
  const env: EnvVar[] = [
    variable('PILOT_CERT_PROVIDER', values.global.pilotCertProvider),
    variable('CA_ADDR', values.global.caAddress || `istiod${values.revision ? `-${values.revision}` : ''}.${values.global.istioNamespace}.svc:15012`),
    fieldRef('POD_NAME', 'metadata.name'),
    fieldRef('POD_NAMESPACE', 'metadata.namespace'),
    fieldRef('INSTANCE_IP', 'status.podIP'),
    fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    fieldRef('HOST_IP', 'status.hostIP'),
    resourceRef('ISTIO_CPU_LIMIT', 'limits.cpu'),
    variable('PROXY_CONFIG', `${proxyConfigJson(proxyConfig)}\n`),
    variable('ISTIO_META_POD_PORTS', podPortsJson(input.spec.containers ?? [])),
    variable('ISTIO_META_APP_CONTAINERS', context.appContainers.join(',')),
    resourceRef('GOMEMLIMIT', 'limits.memory'),
    variable('ISTIO_META_CLUSTER_ID', values.global.multiCluster.clusterName || 'Kubernetes'),
    fieldRef('ISTIO_META_NODE_NAME', 'spec.nodeName'),
    variable('ISTIO_META_INTERCEPTION_MODE', annotations['sidecar.istio.io/interceptionMode'] || context.interceptionMode),
  ];
  if (values.global.network) env.push(variable('ISTIO_META_NETWORK', values.global.network));
  const workloadName = labels['service.istio.io/workload-name'] || owner.name;
  if (workloadName) env.push(variable('ISTIO_META_WORKLOAD_NAME', workloadName));
  if (owner.apiVersion && owner.name) {
    env.push(
      variable(
        'ISTIO_META_OWNER',
        `kubernetes://apis/${owner.apiVersion}/namespaces/${owner.namespace || 'default'}/${owner.kind.toLowerCase()}s/${owner.name}`,
      ),
    );
  }
  if ('sidecar.istio.io/bootstrapOverride' in annotations) {
    env.push(variable('ISTIO_BOOTSTRAP_OVERRIDE', '/etc/istio/custom-bootstrap/custom_bootstrap.json'));
  }
  if (values.global.meshID || trustDomain) env.push(variable('ISTIO_META_MESH_ID', values.global.meshID || trustDomain));
  if (trustDomain) env.push(variable('TRUST_DOMAIN', trustDomain));
  env.push(...metadataEnv(proxyConfig.proxyMetadata ?? {}).map((e) => variable(e.name, e.value ?? '')));
  return new Map(env.map((entry) => [entry.name, entry]));
}

/** The variables of `env` named in `order` (those present), then the rest of it. */
export function inOrder(env: Map<string, EnvVar>, order: readonly string[]): EnvVar[] {
  const first = order.filter((name) => env.has(name)).map((name) => env.get(name)!);
  return [...first, ...[...env.values()].filter((entry) => !order.includes(entry.name))];
}
