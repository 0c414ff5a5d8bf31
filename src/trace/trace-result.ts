/**
 * Why a request stops: the classes of Istio's simulation (`no listener` … `no route`), for what
 * the proxy's own configuration decides, and the tracer's own for what lies past it.
 */
export type TraceError =
  | 'no listener'
  | 'no filter chain'
  | 'multiple filter chains'
  | 'tls'
  | 'mtls'
  | 'protocol error'
  | 'no virtual host'
  | 'tls redirect'
  | 'no route'
  | 'no cluster'
  | 'no endpoints'
  | 'rbac';

/** The object and field that decided a hop, as `analyze` names objects. */
export interface TraceDecider {
  /** `Kind namespace/name`. */
  readonly origin: string;
  /**
   * A field path in the object, e.g. `spec.http[1].match[0]`.
   * @default - the object as a whole
   */
  readonly field?: string;
}

/** One step of the request through Envoy's configuration, with its reason. */
export interface TraceHop {
  /** What kind of step: listener, filter chain, route table, virtual host, route, cluster, … */
  readonly step: string;
  /** What was chosen at this step, in Envoy's or Istio's name for it. */
  readonly chosen: string;
  /** Why, in a sentence. */
  readonly reason: string;
  /** @default - no single object decided (Envoy's own defaults) */
  readonly decidedBy?: TraceDecider;
}

/** How the request ends, as the client would see it. */
export interface TraceOutcome {
  /** `routed`, `passthrough`, or the HTTP status / connection fate (`404`, `503`, `reset`, …). */
  readonly result: string;
  /**
   * Envoy's response flag where there is one (NR, UH, NC, UF).
   * @default - none
   */
  readonly flag?: string;
  readonly reason: string;
}

/** Where one request goes, and why. */
export interface TraceResult {
  /** The Envoy cluster the request is sent to (`outbound|port|subset|host`, `inbound|port||`, …), or null. */
  readonly cluster: string | null;
  readonly error: TraceError | null;
  /** The listener, as Envoy names it (`0.0.0.0_80`, `virtualInbound`). @default - none matched */
  readonly listener?: string;
  /** @default - none matched, or the listener has one chain */
  readonly filterChain?: string;
  /** The route table (`http.80`, `9080`). @default - no HTTP routing */
  readonly routeConfig?: string;
  /** @default - no HTTP routing, or no virtual host matched */
  readonly virtualHost?: string;
  /** The matched route's name (a VirtualService rule's `name`). @default - unnamed, or none matched */
  readonly route?: string;
  readonly outcome: TraceOutcome;
  readonly hops: readonly TraceHop[];
  /** What the manifests leave open (creation order, a DNS answer), said rather than guessed. */
  readonly notes: readonly string[];
}

/** A trace under construction: the hops so far, and the names Envoy gives what was chosen. */
export class TraceRecorder {
  public readonly hops: TraceHop[] = [];
  public readonly notes: string[] = [];
  public names: { listener?: string; filterChain?: string; routeConfig?: string; virtualHost?: string; route?: string } = {};

  public hop(step: string, chosen: string, reason: string, decidedBy?: TraceHop['decidedBy']): void {
    this.hops.push({ step, chosen, reason, ...(decidedBy ? { decidedBy } : {}) });
  }

  public fail(error: TraceError, result: string, reason: string, flag?: string): TraceResult {
    return { cluster: null, error, ...this.names, outcome: { result, reason, ...(flag ? { flag } : {}) }, hops: this.hops, notes: this.notes };
  }

  public end(cluster: string | null, result: string, reason: string, error: TraceError | null = null, flag?: string): TraceResult {
    return { cluster, error, ...this.names, outcome: { result, reason, ...(flag ? { flag } : {}) }, hops: this.hops, notes: this.notes };
  }
}

