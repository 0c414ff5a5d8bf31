import type { TemplateInput } from './template-input.js';
import { trimAll } from './template-helpers.js';

/** Canonical service name and revision labels, as every Istio template writes them. */
export function canonicalLabels(input: TemplateInput): Record<string, string> {
  const { labels, owner } = input;
  return {
    'service.istio.io/canonical-name': trimAll(
      (labels['service.istio.io/canonical-name'] || labels['app.kubernetes.io/name'] || labels['app'] || owner.name).slice(0, 63),
      '-_.',
    ),
    'service.istio.io/canonical-revision':
      labels['service.istio.io/canonical-revision'] || labels['app.kubernetes.io/version'] || labels['version'] || 'latest',
  };
}
