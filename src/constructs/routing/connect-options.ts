import { assertPort, MeshformError, type ErrorLocation } from '../../core/index.js';
import { assertMethod, type HttpMethod } from './route-match.js';

/** What a caller may do on a server: the operations its AuthorizationPolicy rule admits. */
export interface ConnectOptions {
  /**
   * Service ports the caller may use.
   * @default - every port
   */
  readonly ports?: readonly number[];
  /**
   * Request paths: exact (`/api/orders`), prefix (`/api/*`), suffix (`*.json`) or `*`.
   * @default - every path
   */
  readonly paths?: readonly string[];
  /**
   * HTTP methods, upper-case.
   * @default - every method
   */
  readonly methods?: readonly HttpMethod[];
}

/** Checked `ConnectOptions` that restrict something: one `operation` of an AuthorizationPolicy rule (ports still as Service ports). */
export type CallOperation = ConnectOptions;

/** Checks the options of a `connectTo`; undefined when they admit everything. */
export function checkConnectOptions(options: ConnectOptions | undefined, location: ErrorLocation): CallOperation | undefined {
  if (!options) return undefined;
  const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `${location.field}.${field}` });
  const list = <T>(values: readonly T[] | undefined, field: string): readonly T[] | undefined => {
    if (values === undefined) return undefined;
    if (!Array.isArray(values) || values.length === 0) {
      throw new MeshformError(`${field} is empty, which would admit nothing`, { ...at(field), fix: `List the ${field}, or leave ${field} out to admit all.` });
    }
    return values;
  };
  const ports = list(options.ports, 'ports')?.map((port, index) => assertPort(port, at(`ports[${index}]`)));
  const paths = list(options.paths, 'paths')?.map((path, index) => assertPolicyPath(path, at(`paths[${index}]`)));
  const methods = list(options.methods, 'methods')?.map((method, index) => assertMethod(method, at(`methods[${index}]`)));
  if (!ports && !paths && !methods) return undefined;
  return { ...(ports ? { ports: [...new Set(ports)].sort((a, b) => a - b) } : {}), ...(paths ? { paths: [...new Set(paths)] } : {}), ...(methods ? { methods: [...new Set(methods)] } : {}) };
}

/** Istio's AuthorizationPolicy path forms: exact, `prefix*`, `*suffix`, or `*` alone. */
export function assertPolicyPath(path: string, location: ErrorLocation): string {
  if (typeof path !== 'string' || path === '') {
    throw new MeshformError('the path is empty', { ...location, fix: "Give a path such as '/api/*'." });
  }
  if (path === '*') return path;
  const inner = path.slice(1, -1);
  const wildcardInside = inner.includes('*') || (path.startsWith('*') && path.endsWith('*'));
  if (wildcardInside) {
    throw new MeshformError(`path "${path}" has a wildcard Istio cannot match`, { ...location, fix: "Use '*' only at the end (prefix, '/api/*') or at the start (suffix, '*.json')." });
  }
  if (!path.startsWith('/') && !path.startsWith('*')) {
    throw new MeshformError(`path "${path}" does not start with "/"`, { ...location, fix: `Did you mean "/${path}"?` });
  }
  return path;
}
