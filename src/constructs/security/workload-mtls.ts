import type { PeerAuthenticationSpec } from '../../../imports/security.istio.io.js';
import { MeshformError, type ErrorLocation, type ServicePort } from '../../core/index.js';

/** How a port accepts traffic when it differs from its workload: plain text too, or plain text only. */
export type PortMtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** Mutual TLS of one workload, over its namespace's (Istio's PeerAuthentication with a selector). */
export interface WorkloadMtls {
  /**
   * The workload's mode.
   * @default - the namespace's (or the mesh's)
   */
  readonly mode?: 'STRICT' | 'PERMISSIVE';
  /**
   * Modes of single Service ports, for ports that must take plain text (a metrics scrape from
   * outside the mesh, a UDP ingest): `{ 9102: 'PERMISSIVE', 8125: 'DISABLE' }`. The workload's
   * AuthorizationPolicy admits any caller on a PERMISSIVE or DISABLE port, since plain-text
   * callers carry no identity a rule could name.
   * @default - every port as the workload
   */
  readonly portLevelMtls?: Readonly<Record<string, PortMtlsMode>>;
}

/** A workload's checked port exceptions: Service port, the pods' port and the mode. */
export interface PortMtls {
  readonly port: number;
  readonly targetPort: number;
  readonly mode: PortMtlsMode;
}

const MODES: readonly PortMtlsMode[] = ['STRICT', 'PERMISSIVE', 'DISABLE'];

/** Checks a workload's mTLS settings against its ports. */
export function checkWorkloadMtls(mtls: WorkloadMtls | undefined, ports: readonly ServicePort[], location: ErrorLocation): PortMtls[] {
  if (mtls?.mode !== undefined && mtls.mode !== 'STRICT' && mtls.mode !== 'PERMISSIVE') {
    throw new MeshformError(`"${String(mtls.mode)}" is not a workload mTLS mode`, { ...location, field: 'mtls.mode', fix: "Use 'STRICT' or 'PERMISSIVE'; turn it off per port with portLevelMtls." });
  }
  return Object.entries(mtls?.portLevelMtls ?? {}).map(([key, mode]) => {
    const field = `mtls.portLevelMtls.${key}`;
    const declared = ports.find((port) => String(port.port) === key);
    if (!declared) {
      throw new MeshformError(`port ${key} is not a port of the Service`, { ...location, field, fix: `The Service's ports are ${ports.map((port) => port.port).join(', ')}.` });
    }
    if (!MODES.includes(mode)) {
      throw new MeshformError(`"${String(mode)}" is not an mTLS mode`, { ...location, field, fix: `Use one of ${MODES.join(', ')}.` });
    }
    return { port: declared.port, targetPort: Number(declared.targetPort), mode };
  });
}

/** The workload's PeerAuthentication; its port keys are the pods' ports, which the sidecar sees. */
export function renderWorkloadPeerAuthentication(selector: Record<string, string>, mode: WorkloadMtls['mode'], ports: readonly PortMtls[]): PeerAuthenticationSpec {
  return {
    selector: { matchLabels: selector },
    ...(mode ? { mtls: { mode } } : {}),
    ...(ports.length > 0 ? { portLevelMtls: Object.fromEntries(ports.map(({ targetPort, mode: portMode }) => [String(targetPort), { mode: portMode }])) } : {}),
  };
}
