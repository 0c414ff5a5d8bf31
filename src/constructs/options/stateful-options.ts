import { assertDnsLabel, MeshformError, type ErrorLocation, assertOptionalOneOf } from '../../core/index.js';

/** A PersistentVolumeClaim every pod of a StatefulSet gets, mounted into the application container. */
export interface VolumeClaim {
  readonly name: string;
  readonly mountPath: string;
  /** Size, as a Kubernetes quantity (`'10Gi'`). */
  readonly storage: string;
  /**
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/**
 * Run the workload as a StatefulSet: stable pod names (`<name>-0`, `<name>-1`, …) resolvable
 * through a headless Service `<name>-headless` that declares every port (so the mesh matches
 * pod-to-pod traffic and keeps mutual TLS on it), and a volume per pod and claim.
 */
export interface StatefulOptions {
  /**
   * `Parallel` starts every pod at once (a cluster that elects its leader among all nodes);
   * `OrderedReady` one after the other.
   * @default 'OrderedReady'
   */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /**
   * Publish pods in DNS before they are ready, so that peers find each other while the cluster forms.
   * @default true
   */
  readonly publishNotReadyAddresses?: boolean;
  /** @default - none */
  readonly volumeClaims?: readonly VolumeClaim[];
}

const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** The StatefulSet spec fields beyond Deployment's, and the claims to mount. */
export function renderStatefulFields(options: StatefulOptions, headlessService: string, location: ErrorLocation): { spec: Record<string, unknown>; mounts: { name: string; mountPath: string }[] } {
  const claims = (options.volumeClaims ?? []).map((claim, index) => {
    const field = `stateful.volumeClaims[${index}]`;
    assertDnsLabel(claim.name, { ...location, field: `${field}.name` });
    if (typeof claim.mountPath !== 'string' || !claim.mountPath.startsWith('/')) {
      throw new MeshformError(`mountPath "${String(claim.mountPath)}" is not an absolute path`, { ...location, field: `${field}.mountPath`, fix: "Give a path such as '/opt/nifi/content_repository'." });
    }
    if (typeof claim.storage !== 'string' || !QUANTITY.test(claim.storage)) {
      throw new MeshformError(`storage "${String(claim.storage)}" is not a quantity`, { ...location, field: `${field}.storage`, fix: "Give a size such as '10Gi'." });
    }
    return claim;
  });
  const twice = claims.find((claim, index) => claims.findIndex((other) => other.name === claim.name) !== index);
  if (twice) throw new MeshformError(`volume claim ${twice.name} is declared twice`, { ...location, field: 'stateful.volumeClaims', fix: 'Give every claim its own name.' });
  return {
    spec: {
      serviceName: headlessService,
      podManagementPolicy: assertOptionalOneOf(options.podManagementPolicy, ['OrderedReady', 'Parallel'], { ...location, field: 'stateful.podManagementPolicy' }) ?? 'OrderedReady',
      ...(claims.length > 0
        ? {
            volumeClaimTemplates: claims.map((claim) => ({
              metadata: { name: claim.name },
              spec: {
                accessModes: ['ReadWriteOnce'],
                ...(claim.storageClassName ? { storageClassName: claim.storageClassName } : {}),
                resources: { requests: { storage: claim.storage } },
              },
            })),
          }
        : {}),
    },
    mounts: claims.map(({ name, mountPath }) => ({ name, mountPath })),
  };
}
