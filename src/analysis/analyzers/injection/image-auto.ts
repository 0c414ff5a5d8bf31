// Follows Istio's pkg/config/analysis/analyzers/injection/image-auto.go.
import { type Labels, namespaceOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { selectorMatches, type Webhook } from '../webhook/webhook.js';

/** `image: auto` on the istio-proxy container: the injector fills it in, or nothing does. */
function hasAutoImage(spec: any): boolean {
  return (Array.isArray(spec?.containers) ? spec.containers : []).some((container: any) => container?.name === 'istio-proxy' && container?.image === 'auto');
}

/**
 * Pods (IST0147) and Deployments (IST0146, when no Istio injection webhook in the input would take
 * them) whose proxy container has `image: auto`: a pod that exists already was never injected.
 */
export const imageAutoAnalyzer: Analyzer = {
  name: 'injection.ImageAutoAnalyzer',
  codes: ['IST0146', 'IST0147'],
  goFile: 'injection/image-auto.go',
  analyze(context) {
    const webhooks: Webhook[] = context.index
      .ofKind(KINDS.MutatingWebhookConfiguration)
      .flatMap((configuration) => (Array.isArray(configuration.webhooks) ? configuration.webhooks : []) as Webhook[])
      .filter((webhook) => String(webhook?.name ?? '').endsWith('istio.io'));
    for (const pod of context.index.ofKind(KINDS.Pod)) {
      if (hasAutoImage(pod.spec)) context.report('ImageAutoWithoutInjectionError', pod, ['Pod', pod.metadata?.name]);
    }
    // Without any webhook configuration in the input, whether a webhook matches is unknown: Istio
    // would warn about every gateway Deployment of an IaC repo; meshform judges only what it sees.
    const webhooksKnown = context.index.ofKind(KINDS.MutatingWebhookConfiguration).length > 0;
    for (const deployment of webhooksKnown ? context.index.ofKind(KINDS.Deployment) : []) {
      if (!hasAutoImage(deployment.spec?.template?.spec)) continue;
      const namespaceLabels: Labels = context.index.namespaceLabels(namespaceOf(deployment)) ?? {};
      const podLabels: Labels = deployment.spec?.template?.metadata?.labels ?? {};
      // Without a Namespace object Istio sees no labels; a webhook without selectors still matches.
      const injected = webhooks.some((webhook) => selectorMatches(webhook?.namespaceSelector, namespaceLabels) && selectorMatches(webhook?.objectSelector, podLabels));
      if (!injected) context.report('ImageAutoWithoutInjectionWarning', deployment, ['Deployment', deployment.metadata?.name]);
    }
  },
};
