import { compareCodeUnits } from '../core/index.js';

/**
 * JSON the way Go's encoding/json writes Kubernetes types: fields in struct declaration order,
 * which is what Istio stores in annotations such as `proxy.istio.io/overrides`.
 */
const FIELD_ORDER: Readonly<Record<string, readonly string[]>> = {
  container: [
    'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy',
    'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath',
    'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
  ],
  resources: ['limits', 'requests', 'claims'],
  volumeMounts: ['name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr'],
  ports: ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'],
  env: ['name', 'value', 'valueFrom'],
  probe: ['exec', 'httpGet', 'tcpSocket', 'grpc', 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds'],
  httpGet: ['path', 'port', 'host', 'scheme', 'httpHeaders'],
  lifecycle: ['postStart', 'preStop', 'stopSignal'],
  handler: ['exec', 'httpGet', 'tcpSocket', 'sleep'],
  securityContext: [
    'capabilities', 'privileged', 'seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup', 'runAsNonRoot',
    'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'procMount', 'seccompProfile', 'appArmorProfile',
  ],
  capabilities: ['add', 'drop'],
};

/** Which struct a field of a struct holds. */
const FIELD_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  container: {
    resources: 'resources', volumeMounts: 'volumeMounts', ports: 'ports', env: 'env', livenessProbe: 'probe',
    readinessProbe: 'probe', startupProbe: 'probe', lifecycle: 'lifecycle', securityContext: 'securityContext',
  },
  probe: { httpGet: 'httpGet' },
  lifecycle: { postStart: 'handler', preStop: 'handler' },
  handler: { httpGet: 'httpGet' },
  securityContext: { capabilities: 'capabilities' },
};

/** Reorders an object's keys as Go would write the given struct type (unknown keys last, sorted). */
export function goOrdered(value: unknown, type = 'container'): unknown {
  if (Array.isArray(value)) return value.map((item) => goOrdered(item, type));
  if (value === null || typeof value !== 'object') return value;
  const order = FIELD_ORDER[type] ?? [];
  const keys = Object.keys(value).sort((a, b) => rank(order, a) - rank(order, b) || compareCodeUnits(a, b));
  return Object.fromEntries(keys.map((key) => [key, goOrdered((value as Record<string, unknown>)[key], FIELD_TYPES[type]?.[key] ?? '')]));
}

function rank(order: readonly string[], key: string): number {
  const index = order.indexOf(key);
  return index < 0 ? order.length : index;
}
