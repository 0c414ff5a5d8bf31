/** pilot-agent's volumes and where the proxy mounts them, shared by every injection template. */
import type { Volume } from '../pod-types.js';

function tokenVolume(audience: string): Volume {
  return {
    name: 'istio-token',
    projected: { sources: [{ serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience } }] },
  };
}

const PODINFO_VOLUME: Volume = {
  name: 'istio-podinfo',
  downwardAPI: {
    items: [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
    ],
  },
};

/** Where pilot-agent's volumes are mounted in the proxy, by volume name. */
export const AGENT_MOUNT_PATHS: Readonly<Record<string, string>> = {
  'workload-socket': '/var/run/secrets/workload-spiffe-uds',
  'credential-socket': '/var/run/secrets/credential-uds',
  'workload-certs': '/var/run/secrets/workload-spiffe-credentials',
  'istiod-ca-cert': '/var/run/secrets/istio',
  'istio-ca-crl': '/var/run/secrets/istio/crl',
  'istio-data': '/var/lib/istio/data',
  'istio-envoy': '/etc/istio/proxy',
  'istio-xds': '/etc/istio/proxy',
  'istio-token': '/var/run/secrets/tokens',
  'istio-podinfo': '/etc/istio/pod',
};

/** Volume mounts of the named agent volumes, in the order given. */
export function agentMounts(...names: readonly string[]): { name: string; mountPath: string }[] {
  return names.map((name) => ({ name, mountPath: AGENT_MOUNT_PATHS[name]! }));
}

/** pilot-agent's data, pod info, identity token and (unless certificates come from elsewhere) the mesh's root certificate. */
export function agentStateVolumes(audience: string, options: { readonly rootCertificate?: boolean } = {}): Volume[] {
  return [
    { name: 'istio-data', emptyDir: {} },
    PODINFO_VOLUME,
    tokenVolume(audience),
    ...(options.rootCertificate === false ? [] : [{ name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } }]),
  ];
}
