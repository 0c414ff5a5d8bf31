import { assertCount, assertPercentage, istioDuration, MeshformError, type ErrorLocation } from '../../core/index.js';

/** Delays a share of requests before they are forwarded. */
export interface DelayFault {
  /** How long, `'5s'` or milliseconds. */
  readonly fixed: string | number;
  /** Share of requests delayed, 0 to 100 (fractions allowed). */
  readonly percent: number;
}

/** Answers a share of requests with an error instead of forwarding them. */
export interface AbortFault {
  /** HTTP status to answer with, 200 to 599. */
  readonly httpStatus: number;
  /** Share of requests aborted, 0 to 100 (fractions allowed). */
  readonly percent: number;
}

/** Fault injection (Istio's HTTPFaultInjection), to test how callers cope with a slow or failing service. */
export interface FaultInjection {
  /**
   * Delay some requests.
   * @default - no delay
   */
  readonly delay?: DelayFault;
  /**
   * Fail some requests.
   * @default - no abort
   */
  readonly abort?: AbortFault;
}

/** Istio's HTTPFaultInjection for the options, checked. */
export function renderFault(fault: FaultInjection, location: ErrorLocation): Record<string, unknown> {
  const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `${location.field}.${field}` });
  if (!fault.delay && !fault.abort) {
    throw new MeshformError('the fault injects nothing', { ...location, fix: 'Give delay: { fixed, percent } and/or abort: { httpStatus, percent }.' });
  }
  const rendered: Record<string, unknown> = {};
  if (fault.delay) {
    rendered.delay = {
      fixedDelay: istioDuration(fault.delay.fixed, at('delay.fixed')),
      percentage: { value: assertPercentage(fault.delay.percent, at('delay.percent')) },
    };
  }
  if (fault.abort) {
    const status = assertCount(fault.abort.httpStatus, at('abort.httpStatus'), 200);
    if (status > 599) throw new MeshformError(`${status} is not an HTTP status`, { ...at('abort.httpStatus'), fix: 'Give a status from 200 to 599, e.g. 503.' });
    rendered.abort = { httpStatus: status, percentage: { value: assertPercentage(fault.abort.percent, at('abort.percent')) } };
  }
  return rendered;
}
