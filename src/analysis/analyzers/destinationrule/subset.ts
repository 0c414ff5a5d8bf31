// Follows Istio's pkg/config/analysis/analyzers/destinationrule/subset.go.
import { namespaceOf, parseServiceHost, resolveHost, wildcardCovers } from '../../../core/index.js';
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
 * Each subset of a DestinationRule must select some pod of its Service (IST0173); a host that
 * is no Service or ServiceEntry of the mesh is IST0174.
 */
export const podNotSelectedAnalyzer: Analyzer = {
  name: 'destinationrule.SubsetSelectPodAnalyzer',
  typeName: 'destinationrule.PodNotSelectedAnalyzer',
  codes: ['IST0173', 'IST0174'],
  goFile: 'destinationrule/subset.go',
  analyze(context) {
    for (const rule of context.index.ofKind(KINDS.DestinationRule)) {
      const host = String(rule.spec?.host ?? '');
      if (host.startsWith('*')) continue;
      const fqdn = resolveHost(host, namespaceOf(rule));
      const service = parseServiceHost(fqdn);
      const kubeService = service && context.index.find(KINDS.Service, service.namespace, service.name);
      if (!kubeService) {
        if (!knownServiceEntryHost(context, fqdn)) context.report('UnknownDestinationRuleHost', rule, [host], 'spec.host');
        continue;
      }
      const selector = kubeService.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const pods = context.index.podsMatching(selector, service!.namespace);
      (rule.spec?.subsets ?? []).forEach((subset: any, index: number) => {
        const labels: Record<string, string> = subset?.labels ?? {};
        if (Object.keys(labels).length === 0) return;
        if (!pods.some((pod) => subsetSelects(context, labels, pod))) {
          context.report('DestinationRuleSubsetNotSelectPods', rule, [subset?.name], `spec.subsets[${index}]`);
        }
      });
    }
  },
};

function knownServiceEntryHost(context: AnalysisContext, fqdn: string): boolean {
  return context.index
    .ofKind(KINDS.ServiceEntry)
    .some((se) => (se.spec?.hosts ?? []).some((h: string) => wildcardCovers(resolveHost(h, namespaceOf(se)), fqdn)));
}

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
