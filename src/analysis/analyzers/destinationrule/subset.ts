// Follows Istio's pkg/config/analysis/analyzers/destinationrule/subset.go.
import { namespaceOf } from '../../../core/index.js';
import { ServiceRegistry } from '../../resources/service-registry.js';
import type { AnalysisContext, Analyzer } from '../../context.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';

/** Pod labels that are really properties of the node the pod runs on. */
const TOPOLOGY_LABELS: readonly string[] = [
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.istio.io/subzone',
  'kubernetes.io/hostname',
];

/**
 * A DestinationRule's host must be a Service or ServiceEntry it can see (IST0174, found as
 * util.GetDestinationHost finds it), and each subset must select some pod (IST0173): any pod of
 * the mesh whose labels, with its node's topology, match the subset's labels merged with the
 * ServiceEntry's workload selector, as subset.go matches them.
 */
export const podNotSelectedAnalyzer: Analyzer = {
  name: 'destinationrule.SubsetSelectPodAnalyzer',
  typeName: 'destinationrule.PodNotSelectedAnalyzer',
  codes: ['IST0173', 'IST0174'],
  goFile: 'destinationrule/subset.go',
  analyze(context) {
    const registry = new ServiceRegistry(context.index);
    for (const rule of context.index.ofKind(KINDS.DestinationRule)) {
      const host = String(rule.spec?.host ?? '');
      const exportTo: string[] = Array.isArray(rule.spec?.exportTo) ? rule.spec.exportTo.map(String) : [];
      const entry = registry.destination(host, namespaceOf(rule), exportTo);
      if (!entry) {
        context.report('UnknownDestinationRuleHost', rule, [host], 'spec.host');
        continue;
      }
      const workloadSelector: Record<string, string> = entry.source.kind === 'ServiceEntry' ? (entry.source.spec?.workloadSelector?.labels ?? {}) : {};
      (Array.isArray(rule.spec?.subsets) ? rule.spec.subsets : []).forEach((subset: any, index: number) => {
        const labels: Record<string, string> = { ...workloadSelector, ...(subset?.labels ?? {}) };
        // Candidates through the label index; topology labels are the node's, checked per pod.
        const podLabels = Object.fromEntries(Object.entries(labels).filter(([key]) => !TOPOLOGY_LABELS.includes(key)));
        if (!context.index.podsMatching(podLabels).some((pod) => subsetSelects(context, labels, pod))) {
          context.report('DestinationRuleSubsetNotSelectPods', rule, [subset?.name], `spec.subsets[${index}]`);
        }
      });
    }
  },
};

/** Pod labels decide, except topology labels, which the pod's Node decides when it is known. */
function subsetSelects(context: AnalysisContext, labels: Record<string, string>, pod: PodView): boolean {
  const nodeName = pod.spec?.nodeName;
  const node = nodeName ? context.index.find(KINDS.Node, 'default', nodeName) : undefined;
  return Object.entries(labels).every(([key, value]) => {
    if (!TOPOLOGY_LABELS.includes(key)) return pod.labels[key] === value;
    if (value === '') return false;
    // A pod from a template has no node yet: where it will run is unknown, so it may match.
    if (!node) return pod.fromTemplate || !nodeName || pod.labels[key] === value;
    return node.metadata?.labels?.[key] === value;
  });
}
