import { MeshformError } from '../../core/index.js';
import type { HttpRoute } from './http-route-options.js';

/** One Istio HTTPMatchRequest. */
export type HttpMatchRequest = NonNullable<HttpRoute['match']>[number];

/** A request path to match: `PathMatch.prefix('/static')`, `PathMatch.exact('/login')`. */
export class PathMatch {
  public static exact(path: string): PathMatch {
    return new PathMatch('exact', path);
  }
  public static prefix(path: string): PathMatch {
    return new PathMatch('prefix', path);
  }
  public static regex(pattern: string): PathMatch {
    try {
      new RegExp(pattern);
    } catch {
      throw new MeshformError(`"${pattern}" is not a valid regular expression`, {
        field: 'path',
        fix: 'Istio uses RE2 syntax; check brackets and escapes.',
      });
    }
    return new PathMatch('regex', pattern);
  }

  private constructor(
    public readonly kind: 'exact' | 'prefix' | 'regex',
    public readonly value: string,
  ) {
    if (kind !== 'regex' && !value.startsWith('/')) {
      throw new MeshformError(`path "${value}" does not start with "/"`, { field: 'path', fix: `Did you mean "/${value}"?` });
    }
  }

  /** @internal */
  public _toMatch(): HttpMatchRequest {
    return { uri: { [this.kind]: this.value } as HttpMatchRequest['uri'] };
  }
}
