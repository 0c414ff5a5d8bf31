// Follows Istio's pkg/config/analysis/analyzers/webhook/webhook.go.
import { type KubeObject, type Labels, nameOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { REVISION_LABEL } from '../../resources/injector-config.js';
import { KINDS } from '../../resources/resource-index.js';

export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export interface Webhook {
  readonly name?: string;
  readonly namespaceSelector?: LabelSelector;
  readonly objectSelector?: LabelSelector;
  readonly clientConfig?: { readonly service?: { readonly name?: string; readonly namespace?: string } };
}

/**
 * Istio's injection webhooks (IST0139): for every combination of namespace and pod labels that
 * selects injection (with and without each revision the webhooks name), at most one webhook may
 * match, or pods are injected twice; and each webhook's service must exist.
 */
export const webhookAnalyzer: Analyzer = {
  name: 'webhook.Analyzer',
  codes: ['IST0139'],
  goFile: 'webhook/webhook.go',
  analyze(context) {
    const webhooks: { configuration: KubeObject; webhook: Webhook; key: string }[] = [];
    const revisions = new Set<string>();
    for (const configuration of context.index.ofKind(KINDS.MutatingWebhookConfiguration)) {
      const hooks: Webhook[] = Array.isArray(configuration.webhooks) ? configuration.webhooks : [];
      const found = revisionsOf(configuration, hooks);
      if (found.length === 0 && !hooks.some((hook) => String(hook?.name ?? '').endsWith('istio.io'))) continue;
      for (const webhook of hooks) webhooks.push({ configuration, webhook, key: `${nameOf(configuration)}/${webhook?.name}` });
      for (const revision of found) revisions.add(revision);
    }
    const withRevisions = (bases: Labels[]) => [...bases, ...[...revisions].flatMap((revision) => bases.map((base) => ({ ...base, [REVISION_LABEL]: revision })))];
    const namespaceLabels = withRevisions([{}, { 'istio-injection': 'enabled' }, { 'istio-injection': 'disabled' }]);
    const objectLabels = withRevisions([{}, { 'sidecar.istio.io/inject': 'true' }, { 'sidecar.istio.io/inject': 'false' }]);
    const reported = new Set<string>();
    for (const namespace of namespaceLabels) {
      for (const object of objectLabels) {
        const matches = webhooks.filter(({ webhook }) => selectorMatches(webhook?.namespaceSelector, namespace) && selectorMatches(webhook?.objectSelector, object));
        if (matches.length < 2) continue;
        for (const match of matches) {
          const others = [...new Set(matches.filter((other) => other !== match).map((other) => other.key))].sort();
          const message = `Webhook overlaps with others: [${others.join(' ')}]. This may cause injection to occur twice.`;
          // Istio reports every permutation; the same finding once is what a reader needs.
          if (reported.has(`${match.key}|${message}`)) continue;
          reported.add(`${match.key}|${message}`);
          context.report('InvalidWebhook', match.configuration, [message]);
        }
      }
    }
    for (const { configuration, webhook } of webhooks) {
      const service = webhook?.clientConfig?.service;
      if (!service) continue;
      if (!context.index.find(KINDS.Service, String(service.namespace ?? ''), String(service.name ?? ''))) {
        context.report('InvalidWebhook', configuration, [`Injector refers to a control plane service that does not exist: ${service.namespace}/${service.name}.`]);
      }
    }
  },
};

/** The revisions a webhook configuration serves: its own label, and its selectors' `istio.io/rev`. */
function revisionsOf(configuration: KubeObject, hooks: readonly Webhook[]): string[] {
  const revisions = new Set<string>();
  const own = configuration.metadata?.labels?.[REVISION_LABEL];
  if (own !== undefined) revisions.add(String(own));
  for (const hook of hooks) {
    for (const selector of [hook?.namespaceSelector, hook?.objectSelector]) {
      const value = selector?.matchLabels?.[REVISION_LABEL];
      if (value !== undefined) revisions.add(String(value));
      for (const expression of selector?.matchExpressions ?? []) {
        if (expression?.key === REVISION_LABEL) for (const value of expression.values ?? []) revisions.add(String(value));
      }
    }
  }
  return [...revisions];
}

/** A Kubernetes label selector; none matches everything, as the webhook spec says. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    const ok =
      operator === 'In' ? has && values.includes(labels[key]!)
      : operator === 'NotIn' ? !has || !values.includes(labels[key]!)
      : operator === 'Exists' ? has
      : operator === 'DoesNotExist' ? !has
      : false;
    if (!ok) return false;
  }
  return true;
}
