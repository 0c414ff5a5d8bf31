// meshform's own check (an MF code): Istio has no analyzer for it.
import type { Analyzer } from '../../context.js';
import { appendTo, namespaceOf, selectorMatches, type KubeObject, type Labels } from '../../../core/index.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';

/**
 * A Service whose pods no request can reach (MF0007): ALLOW policies apply to every pod behind it
 * (Istio then admits only what some ALLOW rule matches) and none of them has a rule. This is what
 * a deny-by-default namespace makes of a workload that nobody `connectTo`s and no route reaches.
 */
export const unreachableWorkloadAnalyzer: Analyzer = {
  name: 'meshform.UnreachableWorkloadAnalyzer',
  codes: ['MF0007'],
  analyze(context) {
    const policies = new AllowPolicies(context.index.ofKind(KINDS.AuthorizationPolicy), context.rootNamespace);
    for (const service of context.index.ofKind(KINDS.Service)) {
      const selector = service.spec?.selector;
      if (!selector || Object.keys(selector).length === 0 || service.spec?.type === 'ExternalName') continue;
      const pods = context.index.podsMatching(selector, namespaceOf(service));
      if (pods.length === 0) continue;
      if (pods.every((pod) => policies.admitsNothing(pod))) {
        context.report('UnreachableWorkload', service, [namespaceOf(service)], 'spec.selector');
      }
    }
  },
};

/** The ALLOW policies of the mesh, found per pod through namespace and label indexes. */
class AllowPolicies {
  private readonly everyPod = new Map<string, KubeObject[]>();
  private readonly byLabel = new Map<string, KubeObject[]>();

  public constructor(
    policies: readonly KubeObject[],
    private readonly rootNamespace: string,
  ) {
    for (const policy of policies) {
      const spec = policy.spec ?? {};
      // Policies bound by targetRef apply to gateways and waypoints, not to these pods.
      if ((spec.action ?? 'ALLOW') !== 'ALLOW' || spec.targetRef || spec.targetRefs) continue;
      const labels: Labels | undefined = spec.selector?.matchLabels;
      const entries = Object.entries(labels ?? {});
      if (entries.length === 0) appendTo(this.everyPod, namespaceOf(policy), policy);
      else appendTo(this.byLabel, `${namespaceOf(policy)}/${entries[0]![0]}=${entries[0]![1]}`, policy);
    }
  }

  /** True when ALLOW policies apply to the pod and none has a rule that could admit a request. */
  public admitsNothing(pod: PodView): boolean {
    const applying: KubeObject[] = [];
    for (const namespace of new Set([pod.namespace, this.rootNamespace])) {
      // One push per policy: a spread of a very long list would overflow the call stack.
      for (const policy of this.everyPod.get(namespace) ?? []) applying.push(policy);
      for (const [key, value] of Object.entries(pod.labels)) {
        for (const policy of this.byLabel.get(`${namespace}/${key}=${value}`) ?? []) {
          if (selectorMatches(policy.spec.selector.matchLabels, pod.labels)) applying.push(policy);
        }
      }
    }
    return applying.length > 0 && applying.every((policy) => !Array.isArray(policy.spec?.rules) || policy.spec.rules.length === 0);
  }
}
