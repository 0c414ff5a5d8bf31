// Follows Istio's pkg/config/analysis/analyzers/annotations/annotations.go.
import { ANNOTATION_VALIDATORS, isIstioAnnotation, ISTIO_ANNOTATIONS, type KubeObject } from '../../../core/index.js';
import type { AnalysisContext, Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { ALWAYS_IGNORED_ANNOTATIONS } from '../maturity/maturity.js';

const ANALYZED: readonly (readonly [string, string])[] = [
  [KINDS.Namespace, 'Namespace'],
  [KINDS.Service, 'Service'],
  [KINDS.Pod, 'Pod'],
  [KINDS.Deployment, 'Deployment'],
];

/** Istio annotations that are unknown, misplaced, deprecated or hold an invalid value (Alpha ones: maturity.ts). */
export const annotationsAnalyzer: Analyzer = {
  name: 'annotations.K8sAnalyzer',
  codes: ['IST0107', 'IST0108', 'IST0125', 'IST0135'],
  goFile: 'annotations/annotations.go',
  analyze(context) {
    for (const [key, kind] of ANALYZED) {
      for (const object of context.index.ofKind(key)) checkAnnotations(context, object, kind);
    }
  },
};

function checkAnnotations(context: AnalysisContext, object: KubeObject, kind: string): void {
  const annotations = object.metadata?.annotations ?? {};
  for (const name of Object.keys(annotations).sort()) {
    if (!isIstioAnnotation(name) || ALWAYS_IGNORED_ANNOTATIONS.has(name)) continue;
    const path = `metadata.annotations[${name}]`;
    const facts = ISTIO_ANNOTATIONS.get(name);
    if (!facts) {
      context.report('UnknownAnnotation', object, [name], path);
      continue;
    }
    if (facts.deprecated) {
      // Keeping the deprecated inject annotation next to its replacement label is deliberate.
      const replaced = name === 'sidecar.istio.io/inject' && object.metadata?.labels?.['sidecar.istio.io/inject'] !== undefined;
      if (!replaced) {
        const extra = name === 'sidecar.istio.io/inject' ? ' in favor of the "sidecar.istio.io/inject" label' : '';
        context.report('DeprecatedAnnotation', object, [name, extra], path);
      }
    }
    if (facts.resources.includes('Any')) continue;
    if (!facts.resources.includes(kind)) {
      context.report('MisplacedAnnotation', object, [name, facts.resources.join(', ')], path);
      continue;
    }
    const problem = ANNOTATION_VALIDATORS.get(name)?.(String(annotations[name]));
    if (problem) context.report('InvalidAnnotation', object, [name, problem], path);
  }
}
