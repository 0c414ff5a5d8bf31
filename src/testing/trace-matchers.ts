import type { TraceError, TraceResult } from '../trace/index.js';

/** Where a traced request should end: a service (short name or host), and optionally a subset and port. */
export interface ReachExpectation {
  /** `reviews`, `reviews.shop` or `reviews.shop.svc.cluster.local`; `PassthroughCluster` and the like as they are. */
  readonly service: string;
  /** @default - any subset */
  readonly subset?: string;
  /** @default - any port */
  readonly port?: number;
}

/** What the matchers give vitest's (or Jest's) `expect.extend`. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** The matchers, typed for `declare module 'vitest' { interface Assertion<T> extends TraceMatchers<T> {} }`. */
export interface TraceMatchers<R = unknown> {
  /** The request is routed, without error, to the service (and subset, and port). */
  toReach(expected: ReachExpectation): R;
  /** The request ends in an error, or in this error class. */
  toBeRefused(error?: TraceError): R;
}

function describeTrace(result: TraceResult): string {
  const hops = result.hops.map((hop) => `  ${hop.step}: ${hop.chosen} — ${hop.reason}${hop.decidedBy ? ` [${hop.decidedBy.origin}${hop.decidedBy.field ? ` ${hop.decidedBy.field}` : ''}]` : ''}`);
  return [...hops, `  outcome: ${result.outcome.result}${result.outcome.flag ? ` (${result.outcome.flag})` : ''} — ${result.outcome.reason}`].join('\n');
}

/** True when an Envoy cluster name sends to the expected service, subset and port. */
function reaches(cluster: string | null, expected: ReachExpectation): boolean {
  if (cluster === null) return false;
  const parts = cluster.split('|');
  if (parts.length !== 4) return cluster === expected.service && expected.subset === undefined && expected.port === undefined;
  const [, port, subset, host] = parts as [string, string, string, string];
  const service = expected.service.toLowerCase();
  const hostMatches = host === service || host.startsWith(`${service}.`);
  return hostMatches && (expected.subset === undefined || subset === expected.subset) && (expected.port === undefined || Number(port) === expected.port);
}

/**
 * Matchers for a team's own tests: `expect.extend(traceMatchers)`, then
 * `expect(tracer.traceUrl({ url: 'https://shop.example.com/api', headers: { 'x-canary': 'v2' } })).toReach({ service: 'reviews', subset: 'v2' })`.
 */
export const traceMatchers = {
  toReach(received: TraceResult, expected: ReachExpectation): MatcherResult {
    const pass = received.error === null && reaches(received.cluster, expected);
    const target = `${expected.service}${expected.subset ? ` subset ${expected.subset}` : ''}${expected.port ? ` port ${expected.port}` : ''}`;
    return {
      pass,
      message: () => (pass ? `expected the request not to reach ${target}, and it does:\n${describeTrace(received)}` : `expected the request to reach ${target}; it ends at ${received.cluster ?? 'no cluster'}${received.error ? ` with ${received.error}` : ''}:\n${describeTrace(received)}`),
    };
  },
  toBeRefused(received: TraceResult, error?: TraceError): MatcherResult {
    const pass = error === undefined ? received.error !== null : received.error === error;
    return {
      pass,
      message: () => (pass ? `expected the request to go through; it ends with ${received.error}:\n${describeTrace(received)}` : `expected the request to be refused${error ? ` with ${error}` : ''}; it ends with ${received.error ?? 'no error'}:\n${describeTrace(received)}`),
    };
  },
};
