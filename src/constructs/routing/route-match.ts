import type { VirtualServiceSpec } from '../../../imports/networking.istio.io.js';
import { compareCodeUnits, MeshformError, re2Problem, sortedLabels, type ErrorLocation, type Labels } from '../../core/index.js';

/** One Istio HTTPMatchRequest. */
export type HttpMatchRequest = NonNullable<NonNullable<VirtualServiceSpec['http']>[number]['match']>[number];
/** Istio's StringMatch: exactly one of exact, prefix, regex. */
export type IstioStringMatch = { exact: string } | { prefix: string } | { regex: string };

/** The HTTP methods a route can match on. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'CONNECT' | 'TRACE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE'];

/** A string to match (a header or query value, a CORS origin): exactly, by prefix, or by RE2 regex. */
export class StringMatch {
  public static exact(value: string): StringMatch {
    return new StringMatch('exact', value);
  }
  public static prefix(value: string): StringMatch {
    return new StringMatch('prefix', value);
  }
  /** An RE2 regular expression that must match the whole value. */
  public static regex(pattern: string): StringMatch {
    return new StringMatch('regex', pattern);
  }

  protected constructor(
    public readonly kind: 'exact' | 'prefix' | 'regex',
    public readonly value: string,
  ) {}

  /** @internal */
  public _toIstio(location: ErrorLocation): IstioStringMatch {
    if (typeof this.value !== 'string') {
      throw new MeshformError(`${String(this.value)} is not a string`, { ...location, fix: 'Give the text to match.' });
    }
    if (this.kind === 'regex') assertRegex(this.value, location);
    return { [this.kind]: this.value } as IstioStringMatch;
  }
}

/** A request path to match: `PathMatch.prefix('/static')`, `PathMatch.exact('/login')`. */
export class PathMatch extends StringMatch {
  public static override exact(path: string): PathMatch {
    return new PathMatch('exact', path);
  }
  public static override prefix(path: string): PathMatch {
    return new PathMatch('prefix', path);
  }
  public static override regex(pattern: string): PathMatch {
    assertRegex(pattern, { field: 'path' });
    return new PathMatch('regex', pattern);
  }

  private constructor(kind: 'exact' | 'prefix' | 'regex', value: string) {
    super(kind, value);
    if (kind !== 'regex' && !String(value).startsWith('/')) {
      throw new MeshformError(`path "${value}" does not start with "/"`, { field: 'path', fix: `Did you mean "/${value}"?` });
    }
  }

  /** @internal */
  public _toMatch(): HttpMatchRequest {
    return { uri: this._toIstio({ field: 'path' }) };
  }
}

/**
 * What a request must look like for a route to take it. Every field given must match (AND); a
 * route with several RequestMatches takes a request that matches any of them (OR).
 */
export interface RequestMatch {
  /**
   * The request path; a string is a prefix.
   * @default - any path
   */
  readonly path?: string | PathMatch;
  /**
   * Request headers; a string is an exact value. Names are case-insensitive (written lower-case).
   * @default - any headers
   */
  readonly headers?: Readonly<Record<string, string | StringMatch>>;
  /**
   * Claims of the request's JWT (nested as `parent.child`); a string is an exact value. Istio
   * sees them only at a gateway whose pods have a RequestAuthentication (`requireJwt`).
   * @default - any claims
   */
  readonly claims?: Readonly<Record<string, string | StringMatch>>;
  /**
   * Query parameters; a string is an exact value.
   * @default - any query
   */
  readonly queryParams?: Readonly<Record<string, string | StringMatch>>;
  /**
   * The request method, or any of several.
   * @default - any method
   */
  readonly method?: HttpMethod | readonly HttpMethod[];
  /**
   * Labels of the calling workload (only requests from pods that carry them).
   * @default - any caller
   */
  readonly sourceLabels?: Labels;
  /**
   * Match the path case-insensitively.
   * @default false
   */
  readonly ignoreUriCase?: boolean;
}

/** The methods a match admits, or undefined when it admits every method. */
export function matchedMethods(match: RequestMatch): readonly HttpMethod[] | undefined {
  if (match.method === undefined) return undefined;
  return typeof match.method === 'string' ? [match.method] : match.method;
}

/** Checks a route's matches and writes them as Istio's HTTPMatchRequests. */
export function renderMatches(matches: RequestMatch | readonly RequestMatch[] | undefined, construct: string, field: string): HttpMatchRequest[] {
  if (matches === undefined) return [];
  const list: readonly RequestMatch[] = Array.isArray(matches) ? matches : [matches as RequestMatch];
  return list.map((match, index) => renderMatch(match, { construct, field: list.length > 1 || Array.isArray(matches) ? `${field}[${index}]` : field }));
}

function renderMatch(match: RequestMatch, location: ErrorLocation): HttpMatchRequest {
  const at = (name: string): ErrorLocation => ({ construct: location.construct, field: `${location.field}.${name}` });
  const rendered: Record<string, unknown> = {};
  if (match.path !== undefined) {
    const path = typeof match.path === 'string' ? pathPrefix(match.path, at('path')) : match.path;
    rendered.uri = path._toIstio(at('path'));
  }
  if (match.headers || match.claims) {
    const claims = match.claims ? renderStringMap(match.claims, at('claims'), false) : {};
    // Istio routes on claims through pseudo-headers named after them.
    rendered.headers = {
      ...(match.headers ? renderStringMap(match.headers, at('headers'), true) : {}),
      ...Object.fromEntries(Object.entries(claims).map(([name, value]) => [`@request.auth.claims.${name}`, value])),
    };
  }
  if (match.queryParams) rendered.queryParams = renderStringMap(match.queryParams, at('queryParams'), false);
  const methods = matchedMethods(match);
  if (methods) {
    if (methods.length === 0) throw new MeshformError('the method list is empty', { ...at('method'), fix: 'List at least one method, or leave method out to match any.' });
    for (const method of methods) assertMethod(method, at('method'));
    const unique = [...new Set(methods)];
    rendered.method = unique.length === 1 ? { exact: unique[0] } : { regex: unique.join('|') };
  }
  if (match.sourceLabels) {
    if (Object.keys(match.sourceLabels).length === 0) {
      throw new MeshformError('sourceLabels is empty', { ...at('sourceLabels'), fix: 'Give the labels of the calling pods, or leave it out to match any caller.' });
    }
    rendered.sourceLabels = sortedLabels(match.sourceLabels);
  }
  if (match.ignoreUriCase) rendered.ignoreUriCase = true;
  if (Object.keys(rendered).length === 0) {
    throw new MeshformError('the match is empty and would take every request', {
      ...location,
      fix: 'Give path, headers, claims, queryParams, method or sourceLabels, or leave match out for a catch-all route.',
    });
  }
  return rendered as HttpMatchRequest;
}

/** Checks that a method is one of HTTP's, written upper-case as Envoy compares them. */
export function assertMethod(method: string, location: ErrorLocation): HttpMethod {
  if (!HTTP_METHODS.includes(method as HttpMethod)) {
    const upper = typeof method === 'string' ? method.toUpperCase() : '';
    throw new MeshformError(`"${String(method)}" is not an HTTP method`, {
      ...location,
      fix: HTTP_METHODS.includes(upper as HttpMethod) ? `Methods are compared case-sensitively; write "${upper}".` : `Use one of ${HTTP_METHODS.join(', ')}.`,
    });
  }
  return method as HttpMethod;
}

// RFC 9110 token characters: what a header or query parameter name may contain.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Checks a header or query parameter name (an RFC 9110 token). */
export function assertHeaderName(name: string, location: ErrorLocation): string {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new MeshformError(`"${String(name)}" is not a valid name`, { ...location, fix: 'Use letters, digits and - _ . only.' });
  }
  return name;
}

function renderStringMap(values: Readonly<Record<string, string | StringMatch>>, location: ErrorLocation, lowerCase: boolean): Record<string, IstioStringMatch> {
  const entries = Object.entries(values);
  if (entries.length === 0) throw new MeshformError('the map is empty', { ...location, fix: 'Give at least one name, or leave the field out.' });
  return Object.fromEntries(
    entries
      .map(([name, value]): [string, IstioStringMatch] => {
        const where = { construct: location.construct, field: `${location.field}.${name}` };
        assertHeaderName(name, where);
        const match = typeof value === 'string' ? { exact: value } : value instanceof StringMatch ? value._toIstio(where) : undefined;
        if (!match) throw new MeshformError(`${String(value)} is not a string or StringMatch`, { ...where, fix: "Give 'value' or StringMatch.prefix('…')." });
        return [lowerCase ? name.toLowerCase() : name, match];
      })
      .sort(([a], [b]) => compareCodeUnits(a, b)),
  );
}

function pathPrefix(path: string, location: ErrorLocation): PathMatch {
  try {
    return PathMatch.prefix(path);
  } catch (error) {
    if (error instanceof MeshformError) throw new MeshformError(`path "${path}" does not start with "/"`, { ...location, fix: `Did you mean "/${path}"?` });
    throw error;
  }
}

function assertRegex(pattern: string, location: ErrorLocation): void {
  const problem = re2Problem(pattern);
  if (problem) throw new MeshformError(`"${pattern}" is not a valid RE2 regular expression (${problem})`, { ...location, fix: 'Envoy matches with RE2: no lookaround or backreferences; check brackets and escapes.' });
}
