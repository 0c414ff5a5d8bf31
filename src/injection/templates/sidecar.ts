import type { Container, SecurityContext, Volume, VolumeMount } from '../pod-types.js';
import { agentEnv } from './agent-env.js';
import { AGENT_MOUNT_PATHS, agentMounts, agentStateVolumes } from './agent-volumes.js';
import { canonicalLabels } from './canonical-labels.js';
import type { SidecarParts, TemplateInput } from './template-input.js';
import {
  agentArgs,
  appContainerNames,
  agentReadinessProbe,
  annotationReader,
  compact,
  excludeInboundPort,
  imageFor,
  metadataEnv,
  proxyResources,
  userJson,
} from './template-helpers.js';

/** Istio's sidecar injection template, rendered as data (istio-discovery files/injection-template.yaml). */
export function renderSidecar(input: TemplateInput): SidecarParts {
  const { annotations, labels, values, proxyConfig } = input;
  const proxy = values.global.proxy;
  const annotation = annotationReader(annotations);
  const interceptionMode = annotation('sidecar.istio.io/interceptionMode', proxyConfig.interceptionMode ?? 'REDIRECT');
  const tproxy = interceptionMode === 'TPROXY';
  const capNetBindService = annotation('sidecar.istio.io/capNetBindService', proxy.capNetBindService) === 'true';
  const native = (annotations['sidecar.istio.io/nativeSidecar'] || String(input.nativeSidecars)) !== 'false';
  const appContainers: string[] = appContainerNames(input.spec);
  const statusPort = annotation('status.sidecar.istio.io/port', proxy.statusPort);
  const excludedInbound = excludeInboundPort(statusPort, annotation('traffic.sidecar.istio.io/excludeInboundPorts', proxy.excludeInboundPorts));
  const cni = values.pilot.cni.enabled;
  const resources = proxyResources(annotations, proxy.resources);
  const holdProxy = Boolean(proxyConfig.holdApplicationUntilProxyStarts || proxy.holdApplicationUntilProxyStarts) && !native;
  const proxyImage = imageFor(annotation('sidecar.istio.io/proxyImage', proxy.image), values, annotations['sidecar.istio.io/proxyImageType']);
  const revision = values.revision || 'default';

  const resultLabels: Record<string, string> = {
    'security.istio.io/tlsMode': labels['security.istio.io/tlsMode'] || 'istio',
    ...canonicalLabels(input),
  };
  if (proxyConfig.proxyMetadata?.['ISTIO_META_ENABLE_HBONE'] === 'true') {
    resultLabels['networking.istio.io/tunnel'] = labels['networking.istio.io/tunnel'] || 'http';
  }

  const resultAnnotations: Record<string, string> = { 'istio.io/rev': revision };
  if (appContainers.length > 0) {
    if (!('kubectl.kubernetes.io/default-logs-container' in annotations)) resultAnnotations['kubectl.kubernetes.io/default-logs-container'] = appContainers[0]!;
    if (!('kubectl.kubernetes.io/default-container' in annotations)) resultAnnotations['kubectl.kubernetes.io/default-container'] = appContainers[0]!;
  }
  if (cni) {
    resultAnnotations['sidecar.istio.io/interceptionMode'] = interceptionMode;
    const include = annotation('traffic.sidecar.istio.io/includeOutboundIPRanges', proxy.includeIPRanges);
    if (include) resultAnnotations['traffic.sidecar.istio.io/includeOutboundIPRanges'] = include;
    const exclude = annotation('traffic.sidecar.istio.io/excludeOutboundIPRanges', proxy.excludeIPRanges);
    if (exclude) resultAnnotations['traffic.sidecar.istio.io/excludeOutboundIPRanges'] = exclude;
    resultAnnotations['traffic.sidecar.istio.io/includeInboundPorts'] = annotation('traffic.sidecar.istio.io/includeInboundPorts', proxy.includeInboundPorts);
    resultAnnotations['traffic.sidecar.istio.io/excludeInboundPorts'] = excludedInbound;
    if ('traffic.sidecar.istio.io/includeOutboundPorts' in annotations || proxy.includeOutboundPorts) {
      resultAnnotations['traffic.sidecar.istio.io/includeOutboundPorts'] = annotation('traffic.sidecar.istio.io/includeOutboundPorts', proxy.includeOutboundPorts);
    }
    if ('traffic.sidecar.istio.io/excludeOutboundPorts' in annotations || proxy.excludeOutboundPorts) {
      resultAnnotations['traffic.sidecar.istio.io/excludeOutboundPorts'] = annotation('traffic.sidecar.istio.io/excludeOutboundPorts', proxy.excludeOutboundPorts);
    }
    for (const key of ['traffic.sidecar.istio.io/kubevirtInterfaces', 'istio.io/reroute-virtual-interfaces', 'traffic.sidecar.istio.io/excludeInterfaces']) {
      if (annotations[key]) resultAnnotations[key] = annotations[key]!;
    }
  }

  const initContainers: Container[] = [];
  if (interceptionMode !== 'NONE') {
    initContainers.push(
      compact({
        name: cni ? 'istio-validation' : 'istio-init',
        image: imageFor(annotation('sidecar.istio.io/proxyImage', values.global.proxy_init.image), values, annotations['sidecar.istio.io/proxyImageType']),
        args: iptablesArgs(),
        imagePullPolicy: values.global.imagePullPolicy || undefined,
        env: proxyConfig.proxyMetadata ? metadataEnv(proxyConfig.proxyMetadata) : undefined,
        resources,
        securityContext: {
          allowPrivilegeEscalation: proxy.privileged,
          privileged: proxy.privileged,
          capabilities: cni ? { drop: ['ALL'] } : { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
          ...(cni
            ? {
                readOnlyRootFilesystem: true,
                runAsGroup: tproxy ? 1337 : (input.proxyGid ?? 1337),
                runAsUser: tproxy ? 1337 : (input.proxyUid ?? 1337),
                runAsNonRoot: true,
              }
            : { readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 }),
        },
      }),
    );
  }

  const probes =
    statusPort !== '0'
      ? {
          ...(proxy.startupProbe.enabled
            ? { startupProbe: { httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 1, timeoutSeconds: 3, failureThreshold: proxy.startupProbe.failureThreshold } }
            : {}),
          readinessProbe: agentReadinessProbe(annotation, values, 15021),
        }
      : {};

  const istioProxy = compact({
    name: 'istio-proxy',
    image: proxyImage,
    ...(native ? { restartPolicy: 'Always' } : {}),
    ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
    args: [
      ...agentArgs('sidecar', annotation, values),
      ...(values.global.sts.servicePort ? [`--stsPort=${values.global.sts.servicePort}`] : []),
      ...(values.global.logAsJson ? ['--log_as_json'] : []),
      ...(proxy.outlierLogPath ? [`--outlierLogPath=${proxy.outlierLogPath}`] : []),
    ],
    lifecycle: proxy.lifecycle
      ? proxy.lifecycle
      : holdProxy
        ? { postStart: { exec: { command: ['pilot-agent', 'wait'] } } }
        : native
          ? { preStop: { exec: { command: ['pilot-agent', 'request', `--debug-port=${statusPort}`, 'POST', 'drain'] } } }
          : undefined,
    env: [...agentEnv(input, { appContainers, interceptionMode }).values()],
    imagePullPolicy: values.global.imagePullPolicy || undefined,
    ...probes,
    securityContext: proxySecurityContext(),
    resources,
    volumeMounts: proxyVolumeMounts(),
  });

  return {
    labels: resultLabels,
    annotations: resultAnnotations,
    initContainers: native ? [...initContainers, istioProxy] : initContainers,
    containers: native ? [] : [istioProxy],
    volumes: podVolumes(),
    imagePullSecrets: values.global.imagePullSecrets.map((name) => ({ name })),
    native,
  };

  function iptablesArgs(): string[] {
    const args = [
      'istio-iptables',
      '-p',
      String(input.mesh.proxyListenPort || '15001'),
      '-z',
      String(input.mesh.proxyInboundListenPort || '15006'),
      '-u',
      tproxy ? '1337' : String(input.proxyUid ?? 1337),
      '-m',
      interceptionMode,
      '-i',
      annotation('traffic.sidecar.istio.io/includeOutboundIPRanges', proxy.includeIPRanges),
      '-x',
      annotation('traffic.sidecar.istio.io/excludeOutboundIPRanges', proxy.excludeIPRanges),
      '-b',
      annotation('traffic.sidecar.istio.io/includeInboundPorts', proxy.includeInboundPorts),
      '-d',
      excludedInbound ? `15090,15021,${excludedInbound}` : '15090,15021',
    ];
    if ('traffic.sidecar.istio.io/includeOutboundPorts' in annotations || proxy.includeOutboundPorts) {
      args.push('-q', annotation('traffic.sidecar.istio.io/includeOutboundPorts', proxy.includeOutboundPorts));
    }
    if ('traffic.sidecar.istio.io/excludeOutboundPorts' in annotations || proxy.excludeOutboundPorts) {
      args.push('-o', annotation('traffic.sidecar.istio.io/excludeOutboundPorts', proxy.excludeOutboundPorts));
    }
    if ('istio.io/reroute-virtual-interfaces' in annotations) args.push('-k', annotations['istio.io/reroute-virtual-interfaces']!);
    else if ('traffic.sidecar.istio.io/kubevirtInterfaces' in annotations) args.push('-k', annotations['traffic.sidecar.istio.io/kubevirtInterfaces']!);
    if ('traffic.sidecar.istio.io/excludeInterfaces' in annotations) args.push('-c', annotations['traffic.sidecar.istio.io/excludeInterfaces']!);
    args.push(`--log_output_level=${annotation('sidecar.istio.io/agentLogLevel', values.global.logging.level)}`);
    if (values.global.logAsJson) args.push('--log_as_json');
    if (cni) args.push('--run-validation', '--skip-rule-apply');
    else if (values.global.proxy_init.forceApplyIptables) args.push('--force-apply');
    if (values.global.nativeNftables) args.push('--native-nftables');
    return args;
  }

  function proxySecurityContext(): SecurityContext {
    if (proxyConfig.proxyMetadata?.['IPTABLES_TRACE_LOGGING'] === 'true') {
      return {
        allowPrivilegeEscalation: true,
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        privileged: true,
        readOnlyRootFilesystem: true,
        runAsGroup: 1337,
        runAsNonRoot: false,
        runAsUser: 0,
      };
    }
    const add = [...(tproxy ? ['NET_ADMIN'] : []), ...(capNetBindService ? ['NET_BIND_SERVICE'] : [])];
    return {
      allowPrivilegeEscalation: proxy.privileged,
      capabilities: { ...(add.length > 0 ? { add } : {}), drop: ['ALL'] },
      privileged: proxy.privileged,
      readOnlyRootFilesystem: true,
      ...(tproxy || capNetBindService
        ? { runAsNonRoot: false, runAsUser: 0, runAsGroup: 1337 }
        : { runAsNonRoot: true, runAsUser: input.proxyUid ?? 1337, runAsGroup: input.proxyGid ?? 1337 }),
    };
  }

  function proxyVolumeMounts(): VolumeMount[] {
    // Key order as Istio's template writes each mount, which is how they appear in the output.
    const mountAt = (name: string): VolumeMount => ({ mountPath: AGENT_MOUNT_PATHS[name]!, name });
    const mounts: VolumeMount[] = agentMounts('workload-socket', 'credential-socket', 'workload-certs');
    if (values.global.pilotCertProvider === 'istiod') mounts.push(mountAt('istiod-ca-cert'), mountAt('istio-ca-crl'));
    mounts.push(mountAt('istio-data'));
    if ('sidecar.istio.io/bootstrapOverride' in annotations) mounts.push({ mountPath: '/etc/istio/custom-bootstrap', name: 'custom-bootstrap-volume' });
    mounts.push(mountAt('istio-envoy'), mountAt('istio-token'), ...agentMounts('istio-podinfo'));
    for (const [name, mount] of Object.entries(userJson(annotations['sidecar.istio.io/userVolumeMount']))) mounts.push({ name, ...(mount as Omit<VolumeMount, 'name'>) } as VolumeMount);
    return mounts;
  }

  function podVolumes(): Volume[] {
    const volumes: Volume[] = [{ name: 'workload-socket' }, { name: 'credential-socket' }, { name: 'workload-certs' }];
    if ('sidecar.istio.io/bootstrapOverride' in annotations) {
      volumes.push({ name: 'custom-bootstrap-volume', configMap: { name: annotations['sidecar.istio.io/bootstrapOverride'] } });
    }
    volumes.push(
      { emptyDir: { medium: 'Memory' }, name: 'istio-envoy' },
      ...agentStateVolumes(values.global.sds.token.aud, { rootCertificate: values.global.pilotCertProvider === 'istiod' }),
    );
    volumes.push({ name: 'istio-ca-crl', configMap: { name: 'istio-ca-crl', optional: true } });
    for (const [name, volume] of Object.entries(userJson(annotations['sidecar.istio.io/userVolume']))) volumes.push({ name, ...(volume as object) });
    return volumes;
  }
}

