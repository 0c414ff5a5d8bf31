// Follows Istio's pkg/config/analysis/analyzers/maturity/maturity.go.
import { isIstioAnnotation, ISTIO_ANNOTATIONS, type KubeObject } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** Alpha annotations never reported: Istio writes them itself. */
export const ALWAYS_IGNORED_ANNOTATIONS: ReadonlySet<string> = new Set(['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev']);

/** Alpha annotations not reported on pods whose traffic the CNI plugin captures (no istio-init). */
const IGNORED_WITH_CNI: ReadonlySet<string> = new Set([
  'sidecar.istio.io/interceptionMode',
  'traffic.sidecar.istio.io/includeInboundPorts',
  'traffic.sidecar.istio.io/excludeInboundPorts',
  'traffic.sidecar.istio.io/includeOutboundIPRanges',
]);

/** Istio annotations whose feature is Alpha, on Namespaces, Services, Pods and Deployments (IST0136). */
export const alphaAnnotationAnalyzer: Analyzer = {
  name: 'annotations.AlphaAnalyzer',
  typeName: 'maturity.AlphaAnalyzer',
  codes: ['IST0136'],
  goFile: 'maturity/maturity.go',
  analyze(context) {
    for (const kind of [KINDS.Namespace, KINDS.Service, KINDS.Pod, KINDS.Deployment]) {
      for (const object of context.index.ofKind(kind)) {
        const skipDefault = kind === KINDS.Pod && capturedByCni(object);
        for (const name of Object.keys(object.metadata?.annotations ?? {}).sort()) {
          if (!isIstioAnnotation(name) || ISTIO_ANNOTATIONS.get(name)?.status !== 'Alpha') continue;
          if (ALWAYS_IGNORED_ANNOTATIONS.has(name) || (skipDefault && IGNORED_WITH_CNI.has(name))) continue;
          context.report('AlphaAnnotation', object, [name], `metadata.annotations[${name}]`);
        }
      }
    }
  },
};

/** As Istio's isCNIEnabled: a pod without the istio-init container. */
function capturedByCni(pod: KubeObject): boolean {
  const initContainers: unknown[] = Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers : [];
  return !initContainers.some((container) => (container as { name?: unknown })?.name === 'istio-init');
}
