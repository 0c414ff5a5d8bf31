// Follows Istio's pkg/config/analysis/analyzers/conditions/conditions.go.
import type { KubeObject } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** Per kind, the condition types Istio reports and the status it counts as negative. */
const NEGATIVE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [KINDS.Service]: { 'istio.io/WaypointBound': 'False' },
  [KINDS.ServiceEntry]: { 'istio.io/WaypointBound': 'False' },
  [KINDS.WorkloadEntry]: { 'istio.io/WaypointBound': 'False' },
  [KINDS.AuthorizationPolicy]: { ZtunnelAccepted: 'False', WaypointAccepted: 'False' },
  [KINDS.KubernetesGateway]: { Accepted: 'False', Programmed: 'False', ResolvedRefs: 'False' },
  [KINDS.HTTPRoute]: { Accepted: 'False', Programmed: 'False', ResolvedRefs: 'False' },
  [KINDS.GRPCRoute]: { Accepted: 'False', Programmed: 'False', ResolvedRefs: 'False' },
};

const ROUTES = new Set<string>([KINDS.HTTPRoute, KINDS.GRPCRoute]);

/**
 * Negative status conditions (IST0171) that a controller wrote on objects, as exported from a
 * cluster: waypoints that did not bind, policies ztunnel or a waypoint refused, Gateway API
 * objects not accepted, programmed or resolved.
 */
export const conditionAnalyzer: Analyzer = {
  name: 'conditions.ConditionAnalyzer',
  codes: ['IST0171'],
  goFile: 'conditions/conditions.go',
  analyze(context) {
    for (const [kind, negative] of Object.entries(NEGATIVE)) {
      for (const object of context.index.ofKind(kind)) {
        for (const condition of conditionsOf(kind, object)) {
          const args = [condition.type ?? '', condition.reason ?? '', condition.message ?? ''];
          if (condition.type !== undefined && negative[condition.type] === condition.status) context.report('NegativeConditionStatus', object, args);
          // A partly valid policy is accepted (status True) but still reported.
          if (kind === KINDS.AuthorizationPolicy && condition.type === 'WaypointAccepted' && condition.reason === 'PartiallyInvalid') {
            context.report('NegativeConditionStatus', object, args);
          }
        }
      }
    }
  },
};

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

/** The conditions of an object's status; a route's are those of each parent it is attached to. */
function conditionsOf(kind: string, object: KubeObject): Condition[] {
  const status: any = object.status;
  if (status === null || typeof status !== 'object') return [];
  const list = (value: unknown): Condition[] => (Array.isArray(value) ? value.filter((c) => c !== null && typeof c === 'object') : []);
  if (ROUTES.has(kind)) return list(status.parents).flatMap((parent: any) => list(parent?.conditions));
  return list(status.conditions);
}
