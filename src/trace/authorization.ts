import { type KubeObject, type Labels, namespaceOf, originOf } from '../core/index.js';
import { KINDS } from '../analysis/resources/resource-index.js';
import { MeshInputs } from './mesh-inputs.js';
import type { NormalizedRequest } from './trace-request.js';
import type { TraceHop } from './trace-result.js';

/** The peer as the destination's sidecar sees it: an identity only on mTLS hops. */
export interface AuthorizationSource {
  /** `cluster.local/ns/<ns>/sa/<sa>`. */
  readonly principal?: string;
  readonly namespace?: string;
}

type Rule = Record<string, any>;

/** Istio's policy strings: exact, `prefix*`, `*suffix`, or `*` (any non-empty). */
function policyStringMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);

/** Fields that only HTTP requests carry: in an ALLOW rule on TCP they void the rule, in a DENY rule only the condition. */
const HTTP_ONLY = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths', 'requestPrincipals', 'notRequestPrincipals'];

/**
 * Whether one field condition holds: `values` any-of, `notValues` none-of.
 */
function fieldHolds(values: string[] | undefined, negated: string[] | undefined, actual: string | undefined, ignoreCase = false): boolean {
  const fold = (text: string | undefined) => (ignoreCase ? text?.toLowerCase() : text);
  const any = (list: string[]) => list.some((pattern) => policyStringMatches(fold(pattern)!, fold(actual)));
  if (values && !any(values)) return false;
  if (negated && any(negated)) return false;
  return true;
}

/**
 * The request principal (`iss/sub`) of a bearer JWT whose issuer a RequestAuthentication for the
 * workload trusts. The payload is read, not verified: offline there are no keys to check it with.
 */
export function requestPrincipalOf(request: NormalizedRequest, inputs: MeshInputs, workload: { readonly namespace: string; readonly labels: Labels }): string | undefined {
  const token = /^bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  let claims: { iss?: unknown; sub?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; sub?: unknown };
  } catch {
    return undefined;
  }
  if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string') return undefined;
  const trusted = inputs
    .inCreationOrder(KINDS.RequestAuthentication)
    .filter((policy) => applies(policy, workload, inputs))
    .some((policy) => (Array.isArray(policy.spec?.jwtRules) ? policy.spec.jwtRules : []).some((rule: { issuer?: unknown }) => rule?.issuer === claims.iss));
  return trusted ? `${claims.iss}/${claims.sub}` : undefined;
}


/** True when a rule of a policy with this action matches the request. */
function ruleMatches(rule: Rule, action: string, request: NormalizedRequest, source: AuthorizationSource, principal: string | undefined): boolean {
  const tcp = request.application === 'tcp';
  const httpField = (name: string) => HTTP_ONLY.includes(name) && tcp;
  // ALLOW rules with HTTP-only fields never match TCP; DENY rules drop just those conditions.
  const sets = (entries: Rule[] | undefined, key: string) => (entries ?? []).map((entry) => (entry?.[key] ?? {}) as Rule);
  for (const part of [...sets(rule.from, 'source'), ...sets(rule.to, 'operation')]) {
    for (const name of Object.keys(part)) if (httpField(name) && action === 'ALLOW') return false;
  }
  const path = request.path.split(/[?#]/)[0]!;
  const sourceHolds = (s: Rule) =>
    (httpField('requestPrincipals') || fieldHolds(strings(s.requestPrincipals), strings(s.notRequestPrincipals), principal)) &&
    fieldHolds(strings(s.principals), strings(s.notPrincipals), source.principal) &&
    fieldHolds(strings(s.namespaces), strings(s.notNamespaces), source.namespace) &&
    (!strings(s.ipBlocks) || false) &&
    (!strings(s.remoteIpBlocks) || false);
  const operationHolds = (o: Rule) =>
    (httpField('hosts') || fieldHolds(strings(o.hosts), strings(o.notHosts), request.host, true)) &&
    (httpField('methods') || fieldHolds(strings(o.methods), strings(o.notMethods), request.method)) &&
    (httpField('paths') || ((!strings(o.paths) || strings(o.paths)!.some((p) => policyStringMatches(p, path))) && !(strings(o.notPaths) ?? []).some((p) => policyStringMatches(p, path)))) &&
    fieldHolds(strings(o.ports), strings(o.notPorts), String(request.port));
  const from = Array.isArray(rule.from) ? rule.from : undefined;
  const to = Array.isArray(rule.to) ? rule.to : undefined;
  if (from && !from.some((entry: Rule) => sourceHolds(entry?.source ?? {}))) return false;
  if (to && !to.some((entry: Rule) => operationHolds(entry?.operation ?? {}))) return false;
  for (const condition of Array.isArray(rule.when) ? (rule.when as Rule[]) : []) {
    const key = String(condition?.key ?? '');
    const header = /^request\.headers\[(.+)\]$/.exec(key);
    const known: Record<string, string | undefined> = {
      'source.namespace': source.namespace,
      'source.principal': source.principal,
      'destination.port': String(request.port),
      'connection.sni': request.sni || undefined,
      'request.auth.principal': tcp ? undefined : principal,
    };
    // Other keys (IPs, claims) depend on what the manifests do not hold: they do not match.
    const actual = header ? (tcp ? undefined : request.headers.get(header[1]!.toLowerCase())) : known[key];
    if (header && tcp && action !== 'ALLOW') continue;
    if (!fieldHolds(strings(condition.values), strings(condition.notValues), actual)) return false;
  }
  return true;
}

/**
 * The AuthorizationPolicy decision at a workload (Istio's order: CUSTOM, then DENY, then ALLOW;
 * any ALLOW policy makes the default deny). Pushes the hop and returns the reason for a denial,
 * or undefined when the request is let through.
 */
export function authorize(request: NormalizedRequest, inputs: MeshInputs, workload: { readonly namespace: string; readonly labels: Labels }, hops: TraceHop[], source: AuthorizationSource = {}): string | undefined {
  const policies = inputs.inCreationOrder(KINDS.AuthorizationPolicy).filter((policy) => applies(policy, workload, inputs));
  if (policies.length === 0) return undefined;
  const principal = requestPrincipalOf(request, inputs, workload);
  const matching = (action: string) =>
    policies.filter((policy) => String(policy.spec?.action ?? 'ALLOW') === action).map((policy) => ({ policy, rule: matchingRule(policy, request, source, principal) }));
  const custom = matching('CUSTOM').find((entry) => entry.rule !== undefined);
  if (custom) hops.push({ step: 'authorization', chosen: 'CUSTOM', reason: `${originOf(custom.policy)} hands the request to its extension provider, which decides (not known offline)`, decidedBy: { origin: originOf(custom.policy), field: `spec.rules[${custom.rule}]` } });
  const deny = matching('DENY').find((entry) => entry.rule !== undefined);
  if (deny) {
    const reason = `${originOf(deny.policy)} rule ${deny.rule} denies it: RBAC: access denied`;
    hops.push({ step: 'authorization', chosen: 'DENY', reason, decidedBy: { origin: originOf(deny.policy), field: `spec.rules[${deny.rule}]` } });
    return reason;
  }
  const allows = matching('ALLOW');
  if (allows.length === 0) return undefined;
  const allow = allows.find((entry) => entry.rule !== undefined);
  if (!allow) {
    const reason = `no rule of the ALLOW policies (${allows.map((entry) => originOf(entry.policy)).join(', ')}) matches${source.principal ? ` ${source.principal}` : ' a caller without mTLS identity'}: RBAC: access denied`;
    hops.push({ step: 'authorization', chosen: 'DENY', reason, decidedBy: { origin: originOf(allows[0]!.policy), field: 'spec.rules' } });
    return reason;
  }
  hops.push({ step: 'authorization', chosen: 'ALLOW', reason: `${originOf(allow.policy)} rule ${allow.rule} allows it`, decidedBy: { origin: originOf(allow.policy), field: `spec.rules[${allow.rule}]` } });
  return undefined;
}

function matchingRule(policy: KubeObject, request: NormalizedRequest, source: AuthorizationSource, principal: string | undefined): number | undefined {
  const rules = Array.isArray(policy.spec?.rules) ? (policy.spec.rules as Rule[]) : [];
  const action = String(policy.spec?.action ?? 'ALLOW');
  const index = rules.findIndex((rule) => ruleMatches(rule ?? {}, action, request, source, principal));
  return index < 0 ? undefined : index;
}

/** Policies of the workload's namespace and of the root namespace (mesh-wide, or by selector anywhere); targetRef policies are not for sidecars. */
function applies(policy: KubeObject, workload: { readonly namespace: string; readonly labels: Labels }, inputs: MeshInputs): boolean {
  if (policy.metadata?.annotations?.['istio.io/dry-run'] === 'true') return false;
  if (policy.spec?.targetRef || policy.spec?.targetRefs) return false;
  const namespace = namespaceOf(policy);
  if (namespace !== workload.namespace && namespace !== inputs.rootNamespace) return false;
  return MeshInputs.selects(policy, workload.labels);
}
