/**
 * Kubernetes' `restricted` Pod Security Standard (which includes `baseline`), as the Pod Security
 * admission controller checks a pod spec: https://kubernetes.io/docs/concepts/security/pod-security-standards/.
 * Returns one line per violation, naming the container and field.
 */
export function restrictedViolations(spec: any): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field]) problems.push(`pod: ${field}`);
  for (const volume of spec.volumes ?? []) {
    // A volume without a source is defaulted to emptyDir by the API server, before admission.
    const type = Object.keys(volume).find((key) => key !== 'name') ?? 'emptyDir';
    if (!ALLOWED_VOLUME_TYPES.has(type)) problems.push(`volume ${volume.name}: ${type}`);
  }
  for (const sysctl of pod.sysctls ?? []) if (!SAFE_SYSCTLS.has(sysctl.name)) problems.push(`pod: sysctl ${sysctl.name}`);
  if (pod.runAsUser === 0) problems.push('pod: runAsUser 0');
  for (const container of containers) {
    const own = container.securityContext ?? {};
    const where = `container ${container.name}`;
    if (own.privileged) problems.push(`${where}: privileged`);
    if (own.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if (own.runAsUser === 0) problems.push(`${where}: runAsUser 0`);
    const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where}: seccompProfile ${seccomp ?? 'unset'}`);
    if (!(own.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities not dropped`);
    for (const added of own.capabilities?.add ?? []) if (added !== 'NET_BIND_SERVICE') problems.push(`${where}: adds ${added}`);
    for (const port of container.ports ?? []) if (port.hostPort) problems.push(`${where}: hostPort ${port.hostPort}`);
  }
  return problems;
}

const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
