import type { Labels } from '../core/index.js';

/** What carries the request's bytes: the corpus's (and Istio's simulation's) protocols. */
export type TraceProtocol = 'http' | 'http2' | 'tcp' | 'https' | 'tls';

/** Where the request meets its first proxy. */
export type TraceMode = 'gateway' | 'outbound' | 'inbound';

/** The proxy the request enters: a gateway (router) or a workload's sidecar. */
export interface TraceProxy {
  readonly kind: 'gateway' | 'sidecar';
  readonly namespace: string;
  /** The pod's labels: they select Gateways, Sidecars, policies and route sources. */
  readonly labels: Labels;
  /** The pod's IPs, the first one primary: ServiceEntry endpoints and EndpointSlices name pods by IP. */
  readonly ips: readonly string[];
  /** @default 'default' */
  readonly serviceAccount?: string;
  /** How the pod is named in the hops (`Deployment shop/web`). @default - its namespace and labels */
  readonly description?: string;
}

/** One request, as the client sends it. */
export interface TraceRequest {
  readonly proxy: TraceProxy;
  readonly mode: TraceMode;
  /** The destination port (the listener's port at a gateway, the dialled port from a sidecar). */
  readonly port: number;
  /** The destination IP: the dialled address for outbound calls. @default '1.3.3.7', an address no service owns */
  readonly address?: string;
  /**
   * The Host header (`:authority`).
   * @default - none (empty)
   */
  readonly host?: string;
  /** @default '/' */
  readonly path?: string;
  /** @default 'GET' */
  readonly method?: string;
  /**
   * Request headers, names in any case.
   * @default - none
   */
  readonly headers?: Readonly<Record<string, string>>;
  readonly protocol: TraceProtocol;
  /** The TLS SNI. @default - the host, for TLS calls */
  readonly sni?: string;
  /** The ALPN the client offers. @default - as Istio's simulation: http/1.1 (h2) for https, istio-http/1.1, istio-h2 or istio for mTLS */
  readonly alpn?: string;
  /**
   * Istio mutual TLS: `protocol` is then what travels inside it.
   * @default false
   */
  readonly mtls?: boolean;
  /** The client's identity on mTLS calls (`spiffe://…`), for authorization. @default - none */
  readonly principal?: string;
}

/** How the bytes look on the wire to the listener. */
export type TransportSecurity = 'plaintext' | 'tls' | 'mtls';

/** A request with every default filled in, as the tracer reads it. */
export interface NormalizedRequest {
  readonly proxy: TraceProxy & { readonly serviceAccount: string };
  readonly mode: TraceMode;
  readonly port: number;
  readonly address: string;
  readonly host: string;
  readonly path: string;
  readonly method: string;
  /** Lower-case names. */
  readonly headers: ReadonlyMap<string, string>;
  /** What the HTTP connection manager sees: HTTP/1.1, HTTP/2, or bytes it cannot decode. */
  readonly application: 'http' | 'http2' | 'tcp';
  readonly transport: TransportSecurity;
  readonly sni: string;
  readonly alpn: string;
  readonly principal?: string;
}

/** An address that no Service or ServiceEntry owns, where Istio's simulation sends by default. */
export const UNOWNED_ADDRESS = '1.3.3.7';

export function normalizeRequest(request: TraceRequest): NormalizedRequest {
  const tlsOuter = request.protocol === 'https' || request.protocol === 'tls';
  const transport: TransportSecurity = request.mtls ? 'mtls' : tlsOuter ? 'tls' : 'plaintext';
  const application = request.protocol === 'https' ? (request.alpn === 'h2' ? 'http2' : 'http') : request.protocol === 'tls' ? 'tcp' : request.protocol;
  const host = request.host ?? '';
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name.toLowerCase(), value);
  return {
    proxy: { ...request.proxy, serviceAccount: request.proxy.serviceAccount ?? 'default' },
    mode: request.mode,
    port: request.port,
    address: request.address ?? UNOWNED_ADDRESS,
    host,
    path: request.path || '/',
    method: request.method ?? 'GET',
    headers,
    application,
    transport,
    sni: request.sni ?? (transport === 'tls' ? host : ''),
    alpn: request.alpn ?? defaultAlpn(transport, application),
    ...(request.principal ? { principal: request.principal } : {}),
  };
}

/** The ALPN a client offers when the request says none (Istio's simulation defaults). */
function defaultAlpn(transport: TransportSecurity, application: 'http' | 'http2' | 'tcp'): string {
  if (transport === 'mtls') return application === 'http' ? 'istio-http/1.1' : application === 'http2' ? 'istio-h2' : 'istio';
  if (transport === 'tls') return application === 'http' ? 'http/1.1' : application === 'http2' ? 'h2' : '';
  return '';
}
