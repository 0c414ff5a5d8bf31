export { createTracer, traceRequest, traceWith, type TraceOptions, type Tracer } from './trace.js';
export { MeshInputs } from './mesh-inputs.js';
export { requestFromUrl, type UrlRequest } from './request-from-url.js';
export type { TraceMode, TraceProtocol, TraceProxy, TraceRequest } from './trace-request.js';
export type { TraceDecider, TraceError, TraceHop, TraceOutcome, TraceResult } from './trace-result.js';
