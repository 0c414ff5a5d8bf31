import { istioDuration, MeshformError, type ErrorLocation } from '../../core/index.js';
import { assertHeaderName, assertMethod, StringMatch, type HttpMethod } from './route-match.js';

/** Cross-origin resource sharing for browser callers (Istio's CorsPolicy). */
export interface CorsPolicy {
  /** Origins allowed; a string is exact (`'https://app.example.com'`), `'*'` allows any. */
  readonly allowOrigins: readonly (string | StringMatch)[];
  /**
   * Methods allowed.
   * @default - the methods of simple requests only (GET, HEAD, POST)
   */
  readonly allowMethods?: readonly HttpMethod[];
  /**
   * Request headers allowed.
   * @default - none beyond the CORS-safelisted ones
   */
  readonly allowHeaders?: readonly string[];
  /**
   * Response headers the browser may read.
   * @default - none beyond the CORS-safelisted ones
   */
  readonly exposeHeaders?: readonly string[];
  /**
   * How long the browser may cache a preflight answer, `'24h'` or milliseconds.
   * @default - the browser's default
   */
  readonly maxAge?: string | number;
  /**
   * Let the browser send cookies and credentials.
   * @default false
   */
  readonly allowCredentials?: boolean;
}

/** Istio's CorsPolicy for the options, checked. */
export function renderCors(cors: CorsPolicy, location: ErrorLocation): Record<string, unknown> {
  const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `${location.field}.${field}` });
  if (!Array.isArray(cors.allowOrigins) || cors.allowOrigins.length === 0) {
    throw new MeshformError('no origin is allowed', { ...at('allowOrigins'), fix: "List the origins, e.g. ['https://app.example.com']." });
  }
  const origins = cors.allowOrigins.map((origin, index) => {
    const where = at(`allowOrigins[${index}]`);
    if (origin instanceof StringMatch) return origin._toIstio(where);
    if (typeof origin !== 'string' || (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin))) {
      throw new MeshformError(`"${String(origin)}" is not an origin`, { ...where, fix: "Write scheme and host without a path, e.g. 'https://app.example.com', or '*'." });
    }
    return { exact: origin };
  });
  // Browsers refuse credentials from a wildcard origin, so the policy would silently not work.
  if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
    throw new MeshformError("allowCredentials cannot be used with the origin '*'", { ...at('allowCredentials'), fix: 'List the exact origins that may send credentials.' });
  }
  const headerList = (headers: readonly string[] | undefined, field: string): string[] | undefined =>
    headers?.map((header, index) => assertHeaderName(header, at(`${field}[${index}]`)));
  const allowHeaders = headerList(cors.allowHeaders, 'allowHeaders');
  const exposeHeaders = headerList(cors.exposeHeaders, 'exposeHeaders');
  return {
    allowOrigins: origins,
    ...(cors.allowMethods ? { allowMethods: cors.allowMethods.map((method, index) => assertMethod(method, at(`allowMethods[${index}]`))) } : {}),
    ...(allowHeaders ? { allowHeaders } : {}),
    ...(exposeHeaders ? { exposeHeaders } : {}),
    ...(cors.maxAge !== undefined ? { maxAge: istioDuration(cors.maxAge, at('maxAge')) } : {}),
    ...(cors.allowCredentials !== undefined ? { allowCredentials: cors.allowCredentials } : {}),
  };
}
