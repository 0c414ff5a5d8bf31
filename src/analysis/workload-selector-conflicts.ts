import { appendTo, type KubeObject, type Labels, nameOf, namespaceOf } from '../core/index.js';
import type { AnalysisContext } from './context.js';
import type { MessageName } from './messages.js';
import { selectorString } from './resources/selectors.js';
import { DATAPLANE_MODE_LABEL, INJECTION_LABEL, REVISION_LABEL } from './resources/injector-config.js';
import { podInAmbientMode } from './resources/mesh-membership.js';

/** How a policy kind selects workloads, and what to report when selections clash. */
export interface SelectorPolicy {
  readonly kind: string;
  readonly selectorOf: (object: KubeObject) => Labels | undefined;
  /**
   * Whether a policy without selector labels is namespace-wide. Istio's Sidecar analyzer counts
   * an empty selector as none; its Telemetry analyzer only an absent one (an empty one takes no part).
   * @default - no labels at all
   */
  readonly namespaceWide?: (object: KubeObject) => boolean;
  readonly conflict: MessageName;
  readonly multipleWithoutSelector: MessageName;
  /**
   * The policy does nothing for ambient workloads (a Sidecar), which get IST0167 instead of the
   * conflict checks: pods with ambient redirection, and namespaces in ambient mode for policies
   * without selector.
   * @default false
   */
  readonly ineffectiveInAmbient?: boolean;
}

/** An ambient namespace, unless a sidecar-injection label says otherwise (util.NamespaceInAmbientMode). */
function namespaceInAmbientMode(labels: Labels | undefined): boolean {
  if (!labels || labels[INJECTION_LABEL] === 'enabled' || (labels[REVISION_LABEL] ?? '') !== '') return false;
  return labels[DATAPLANE_MODE_LABEL] === 'ambient';
}

/**
 * The rule Sidecar and Telemetry share: a selector must match a pod of its namespace (IST0101),
 * no pod may be selected by two of them, and a namespace has at most one without selector.
 */
export function checkWorkloadSelectors(context: AnalysisContext, policy: SelectorPolicy, options: { withoutSelector: boolean; selected: boolean }): void {
  const withoutSelector = new Map<string, KubeObject[]>();
  const byPod = new Map<string, { namespace: string; pod: string; ambient: boolean; policies: KubeObject[] }>();
  const ineffective = new Set<KubeObject>();
  const reportIneffective = (object: KubeObject, reason: string) => {
    if (ineffective.has(object)) return;
    ineffective.add(object);
    context.report('IneffectivePolicy', object, [reason]);
  };
  for (const object of context.index.ofKind(policy.kind)) {
    const namespace = namespaceOf(object);
    const selector = policy.selectorOf(object);
    if (!selector || Object.keys(selector).length === 0) {
      if (policy.namespaceWide?.(object) ?? true) appendTo(withoutSelector, namespace, object);
      continue;
    }
    const pods = context.index.podsMatching(selector, namespace);
    if (pods.length === 0 && options.selected) {
      context.report('ReferencedResourceNotFound', object, ['selector', selectorString(selector)]);
    }
    for (const pod of pods) {
      const key = `${pod.namespace}/${pod.name}`;
      const entry = byPod.get(key) ?? { namespace: pod.namespace, pod: pod.name, ambient: podInAmbientMode(pod), policies: [] };
      entry.policies.push(object);
      byPod.set(key, entry);
    }
  }
  if (options.withoutSelector) {
    for (const [namespace, objects] of withoutSelector) {
      if (policy.ineffectiveInAmbient && namespaceInAmbientMode(context.index.namespaceLabels(namespace))) {
        for (const object of objects) reportIneffective(object, 'namespace is in ambient mode, the policy has no impact');
        continue;
      }
      if (objects.length < 2) continue;
      const names = objects.map(nameOf).sort();
      for (const object of objects) context.report(policy.multipleWithoutSelector, object, [names, namespace]);
    }
  }
  if (options.selected) {
    for (const { namespace, pod, ambient, policies } of byPod.values()) {
      if (policy.ineffectiveInAmbient && ambient) {
        for (const object of policies) reportIneffective(object, 'selected workload is in ambient mode, the policy has no impact');
        continue;
      }
      if (policies.length < 2) continue;
      const names = policies.map(nameOf).sort();
      for (const object of policies) context.report(policy.conflict, object, [names, namespace, pod]);
    }
  }
}
