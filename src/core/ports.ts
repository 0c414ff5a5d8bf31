import { type ErrorLocation, MeshformError } from './errors.js';
import { isDnsLabel } from './names.js';

/** The protocols Istio recognizes in a port name prefix or an `appProtocol`. */
export const ISTIO_PROTOCOLS = [
  'http',
  'http2',
  'https',
  'tcp',
  'tls',
  'grpc',
  'grpc-web',
  'mongo',
  'mysql',
  'redis',
  'udp',
] as const;

export type IstioProtocol = (typeof ISTIO_PROTOCOLS)[number];

/** Ports the sidecar keeps for itself; an application must not listen on them. */
export const PROXY_RESERVED_PORTS: readonly number[] = [15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090];

/** Server-first ports Istio treats as TCP when the port name says nothing. */
const WELL_KNOWN_TCP_PORTS: readonly number[] = [25, 53, 3306, 27017];

/** Names Istio's protocol parser knows beyond the naming-convention prefixes. */
const PARSED_PROTOCOLS: readonly string[] = [...ISTIO_PROTOCOLS, 'http_proxy'];

/** A Service port as written in a manifest. */
export interface ServicePortSpec {
  readonly port?: number;
  readonly name?: string;
  readonly protocol?: string;
  readonly appProtocol?: string;
}

/**
 * The protocol Istio derives from a Service port: UDP from the transport, then `appProtocol`,
 * then the port name's prefix before the first '-' (`http-web` → http); a well-known server-first
 * port is TCP. Undefined when Istio cannot tell ("unsupported").
 */
export function servicePortProtocol(port: ServicePortSpec): string | undefined {
  // Ports come from any YAML: read every field as text.
  if (String(port.protocol ?? '').toUpperCase() === 'UDP') return 'udp';
  let name = String(port.name ?? '');
  if (port.appProtocol !== undefined && port.appProtocol !== null && port.appProtocol !== '') {
    name = String(port.appProtocol);
    if (name === 'kubernetes.io/h2c') return 'http2';
    if (name === 'kubernetes.io/ws' || name === 'kubernetes.io/wss') return 'http';
  }
  const lower = name.toLowerCase();
  // grpc-web is the one protocol whose name itself contains the separator.
  if (lower.startsWith('grpc-web')) return 'grpc-web';
  const prefix = lower.split('-')[0]!;
  if (PARSED_PROTOCOLS.includes(prefix)) return prefix;
  return port.port !== undefined && WELL_KNOWN_TCP_PORTS.includes(port.port) ? 'tcp' : undefined;
}

/** The protocol of a port name (and optional appProtocol), as Istio detects it. */
export function protocolOfPort(name: string | undefined, appProtocol?: string): string | undefined {
  return servicePortProtocol({ name, appProtocol });
}

/** Options shared by every ServicePort factory. */
export interface ServicePortOptions {
  /**
   * Suffix of the port name: the name becomes `<protocol>-<suffix>`.
   * @default - the name is the protocol alone
   */
  readonly suffix?: string;
  /**
   * The container port traffic is sent to.
   * @default - the same as the service port
   */
  readonly targetPort?: number;
  /**
   * A port name to keep as it is (say, one clients already use); Istio then reads the protocol
   * from `appProtocol`, which meshform sets.
   * @default - the name is `<protocol>[-<suffix>]` and no appProtocol is set
   */
  readonly name?: string;
}

/**
 * A Service port named the way Istio needs it (`<protocol>[-<suffix>]`), so that protocol
 * detection never has to guess. Build one with a factory: `ServicePort.http(9080)`.
 */
export class ServicePort {
  public static http(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('http', port, options);
  }
  public static http2(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('http2', port, options);
  }
  public static https(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('https', port, options);
  }
  public static grpc(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('grpc', port, options);
  }
  public static grpcWeb(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('grpc-web', port, options);
  }
  public static tcp(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('tcp', port, options);
  }
  public static tls(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('tls', port, options);
  }
  public static mongo(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('mongo', port, options);
  }
  public static mysql(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('mysql', port, options);
  }
  public static redis(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('redis', port, options);
  }
  public static udp(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort('udp', port, options);
  }

  /** Port name as written into the Service: `<protocol>[-<suffix>]`, or the name given. */
  public readonly name: string;
  public readonly targetPort: number;
  /** Set when the name does not carry the protocol. */
  public readonly appProtocol?: string;

  private constructor(
    public readonly protocol: IstioProtocol,
    public readonly port: number,
    options: ServicePortOptions,
  ) {
    if (options.name !== undefined && options.suffix !== undefined) {
      throw new MeshformError('both name and suffix are given', { field: 'name', fix: 'Give a suffix (name <protocol>-<suffix>) or a name, not both.' });
    }
    this.name = options.name ?? (options.suffix ? `${protocol}-${options.suffix}` : protocol);
    this.appProtocol = options.name !== undefined && servicePortProtocol({ name: options.name }) !== protocol ? protocol : undefined;
    this.targetPort = options.targetPort ?? port;
    assertPort(port, { field: 'port' });
    assertPort(this.targetPort, { field: 'targetPort' });
    if (!isDnsLabel(this.name) || this.name.length > 15) {
      throw new MeshformError(`port name "${this.name}" is not a valid Kubernetes port name`, {
        field: 'suffix',
        fix: 'Use a short suffix of lower-case letters, digits and "-" (the whole name must fit in 15 characters).',
      });
    }
    if (PROXY_RESERVED_PORTS.includes(this.targetPort)) {
      throw new MeshformError(`port ${this.targetPort} is reserved for the Istio sidecar`, {
        field: 'targetPort',
        fix: `Ports ${PROXY_RESERVED_PORTS.join(', ')} belong to the proxy; let the application listen elsewhere.`,
      });
    }
  }

  /** The protocol as the Kubernetes Service spec wants it (TCP for everything but UDP). */
  public get transport(): 'TCP' | 'UDP' {
    return this.protocol === 'udp' ? 'UDP' : 'TCP';
  }

  /** True for the protocols Istio routes per request (HTTP routes, retries, header matches). */
  public get isHttp(): boolean {
    return ['http', 'http2', 'grpc', 'grpc-web'].includes(this.protocol);
  }
}

/** Checks a TCP/UDP port number where it enters (a listener, a Service, a probe). */
export function assertPort(value: number, location: ErrorLocation): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    const fault = typeof value === 'number' && Number.isInteger(value) ? 'outside 1 to 65535' : 'not a whole number';
    throw new MeshformError(`port ${String(value)} is ${fault}`, { ...location, fix: 'Use a whole number from 1 to 65535.' });
  }
  return value;
}
