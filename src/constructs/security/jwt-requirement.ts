import { Lazy } from 'cdk8s';
import type { Construct } from 'constructs';
import { AuthorizationPolicy, RequestAuthentication, type AuthorizationPolicySpec, type RequestAuthenticationSpec } from '../../../imports/security.istio.io.js';
import { compareCodeUnits, MeshformError, sortedLabels, type ErrorLocation, type Labels } from '../../core/index.js';
import { markMeshChanged } from '../validation/synth-turn.js';
import { suppressedFindings } from '../../analysis/index.js';
import { assertPolicyPath } from '../routing/connect-options.js';

/** End-user authentication: requests must carry a JWT from `issuer`, checked against its keys. */
export interface JwtRequirement {
  /** The `iss` the tokens carry, e.g. `https://auth.example.com/`. */
  readonly issuer: string;
  /**
   * Where the issuer publishes its keys (https only). Give `jwksUri` or `jwks`.
   * @default - `jwks`
   */
  readonly jwksUri?: string;
  /**
   * The keys themselves, as a JSON Web Key Set document.
   * @default - fetched from `jwksUri`
   */
  readonly jwks?: string;
  /**
   * Accepted `aud` values.
   * @default - any audience
   */
  readonly audiences?: readonly string[];
  /**
   * Request paths that need a token, in Istio's forms (`/exact`, `/prefix/*`, `*suffix`).
   * @default - every path
   */
  readonly paths?: readonly string[];
  /**
   * Claims the token must hold, each with the values of which one must be present
   * (`{ groups: ['admin'] }`); nested claims as `a.b`.
   * @default - no claim condition
   */
  readonly claims?: Readonly<Record<string, readonly string[]>>;
  /**
   * Pass the token on to the upstream workload.
   * @default false
   */
  readonly forwardOriginalToken?: boolean;
}

/** A JWT requirement at a gateway, for some of the hosts it serves. */
export interface GatewayJwtRequirement extends JwtRequirement {
  /**
   * Hosts whose requests need a token; each must be served by the gateway.
   * @default - every host of the gateway
   */
  readonly hosts?: readonly string[];
}

/** A checked requirement, ready to render: claims as sorted pairs, every default filled in. */
export interface CheckedJwtRequirement extends Omit<GatewayJwtRequirement, 'claims' | 'forwardOriginalToken'> {
  readonly claims: readonly (readonly [string, readonly string[]])[];
  readonly forwardOriginalToken: boolean;
}

const CLAIM_NAME = /^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/;

/** Checks a requirement where it enters, so that a wrong field never reaches a manifest. */
export function checkJwtRequirement(requirement: GatewayJwtRequirement, location: ErrorLocation): CheckedJwtRequirement {
  const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `${location.field}.${field}` });
  const { issuer, jwksUri, jwks } = requirement;
  if (typeof issuer !== 'string' || issuer.trim() === '') {
    throw new MeshformError('the issuer is empty', { ...at('issuer'), fix: "Give the tokens' iss, e.g. 'https://auth.example.com/'." });
  }
  if ((jwksUri === undefined) === (jwks === undefined)) {
    throw new MeshformError(jwksUri === undefined ? 'neither jwksUri nor jwks is given' : 'both jwksUri and jwks are given', {
      ...at('jwksUri'),
      fix: 'Give the URI the issuer publishes its keys at, or the key set itself: one of the two.',
    });
  }
  if (jwksUri !== undefined && !isHttpsUrl(jwksUri)) {
    throw new MeshformError(`jwksUri "${String(jwksUri)}" is not an https URL`, {
      ...at('jwksUri'),
      fix: 'Keys fetched over plain HTTP can be forged on the way; give the https:// URI of the key set.',
    });
  }
  if (jwks !== undefined && !isKeySet(jwks)) {
    throw new MeshformError('jwks is not a JSON Web Key Set', { ...at('jwks'), fix: 'Give the JSON document with a "keys" list, as a string.' });
  }
  const nonEmpty = (values: readonly string[] | undefined, field: string): readonly string[] | undefined => {
    if (values === undefined) return undefined;
    if (!Array.isArray(values) || values.length === 0) {
      throw new MeshformError(`${field} is empty`, { ...at(field), fix: `List the ${field}, or leave ${field} out.` });
    }
    values.forEach((value, index) => {
      if (typeof value !== 'string' || value.trim() === '') throw new MeshformError(`${field}[${index}] is empty`, { ...at(`${field}[${index}]`), fix: 'Give a value.' });
    });
    return [...new Set(values)];
  };
  const claims = Object.entries(requirement.claims ?? {}).map(([name, values]): [string, readonly string[]] => {
    if (!CLAIM_NAME.test(name)) {
      throw new MeshformError(`"${name}" is not a claim name`, { ...at(`claims.${name}`), fix: 'Use the claim as it stands in the token; nested claims as parent.child.' });
    }
    return [name, nonEmpty(values, `claims.${name}`)!];
  });
  return {
    issuer,
    ...(jwksUri !== undefined ? { jwksUri } : { jwks }),
    audiences: nonEmpty(requirement.audiences, 'audiences'),
    paths: nonEmpty(requirement.paths, 'paths')?.map((path, index) => assertPolicyPath(path, at(`paths[${index}]`))),
    hosts: nonEmpty(requirement.hosts, 'hosts'),
    claims: claims.sort(([a], [b]) => compareCodeUnits(a, b)),
    forwardOriginalToken: requirement.forwardOriginalToken ?? false,
  };
}

/** The RequestAuthentication of a workload's pods: one JWT rule per requirement. */
export function renderRequestAuthentication(selector: Record<string, string>, requirements: readonly CheckedJwtRequirement[]): RequestAuthenticationSpec {
  return {
    selector: { matchLabels: selector },
    jwtRules: requirements.map((requirement) => ({
      issuer: requirement.issuer,
      ...(requirement.jwksUri ? { jwksUri: requirement.jwksUri } : { jwks: requirement.jwks }),
      ...(requirement.audiences ? { audiences: [...requirement.audiences] } : {}),
      ...(requirement.forwardOriginalToken ? { forwardOriginalToken: true } : {}),
    })),
  };
}

/**
 * The DENY policy that makes the tokens required. A RequestAuthentication alone only rejects
 * invalid tokens; a request without one passes. DENY (rather than ALLOW with requestPrincipals)
 * composes with every ALLOW policy of the pods, so the rest of their traffic is left as it was.
 */
export function renderJwtEnforcement(selector: Record<string, string>, requirements: readonly CheckedJwtRequirement[]): AuthorizationPolicySpec {
  const rules = requirements.flatMap((requirement) => {
    const operation = {
      // Host headers may carry the port, and a DENY that missed `host:443` would let it through.
      ...(requirement.hosts ? { hosts: requirement.hosts.flatMap((host) => [host, `${host}:*`]) } : {}),
      ...(requirement.paths ? { paths: [...requirement.paths] } : {}),
    };
    const to = Object.keys(operation).length > 0 ? { to: [{ operation }] } : {};
    return [
      { from: [{ source: { notRequestPrincipals: [`${requirement.issuer}/*`] } }], ...to },
      ...requirement.claims.map(([name, values]) => ({ ...to, when: [{ key: `request.auth.claims${name.split('.').map((part) => `[${part}]`).join('')}`, notValues: [...values] }] })),
    ];
  });
  return { selector: { matchLabels: selector }, action: 'DENY', rules };
}

function isHttpsUrl(value: string): boolean {
  try {
    return typeof value === 'string' && new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function isKeySet(value: string): boolean {
  try {
    return typeof value === 'string' && Array.isArray((JSON.parse(value) as { keys?: unknown }).keys);
  } catch {
    return false;
  }
}

/**
 * The JWT requirements of one set of pods: a RequestAuthentication and the DENY policy that
 * enforces it, both rendered from every requirement added.
 */
export class JwtEnforcement {
  private readonly requirements: CheckedJwtRequirement[] = [];

  /** `podsElsewhere`: the pods are installed outside these manifests (a shared ingress gateway). */
  public constructor(scope: Construct, name: string, namespace: string, selector: Labels, podsElsewhere = false) {
    const matchLabels = sortedLabels(selector);
    new RequestAuthentication(scope, 'RequestAuthentication', {
      metadata: { name, namespace },
      spec: Lazy.any({ produce: () => renderRequestAuthentication(matchLabels, this.jwtRules()) }),
    });
    new AuthorizationPolicy(scope, 'RequireJwt', {
      metadata: {
        name: `${name}-require-jwt`,
        namespace,
        // The analyzer cannot see pods installed elsewhere, and would call the policy idle (IST0127).
        ...(podsElsewhere ? suppressedFindings('IST0127') : {}),
      },
      spec: Lazy.any({ produce: () => renderJwtEnforcement(matchLabels, this.requirements) }),
    });
  }

  public add(requirement: CheckedJwtRequirement): void {
    markMeshChanged();
    this.requirements.push(requirement);
  }

  /** One rule per issuer and key source, however many paths or hosts require it. */
  private jwtRules(): CheckedJwtRequirement[] {
    const byIssuer = new Map<string, CheckedJwtRequirement>();
    for (const requirement of this.requirements) {
      const key = JSON.stringify([requirement.issuer, requirement.jwksUri, requirement.jwks, requirement.audiences, requirement.forwardOriginalToken]);
      if (!byIssuer.has(key)) byIssuer.set(key, requirement);
    }
    return [...byIssuer.values()];
  }
}
