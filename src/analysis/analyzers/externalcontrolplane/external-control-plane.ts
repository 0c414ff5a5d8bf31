// Follows Istio's pkg/config/analysis/analyzers/externalcontrolplane/externalcontrolplane.go.
import type { KubeObject } from '../../../core/index.js';
import type { AnalysisContext, Analyzer } from '../../context.js';
import { isGoIp, parseGoUrl } from '../../validation/go-url.js';
import { KINDS } from '../../resources/resource-index.js';

const DEFAULT_VALIDATOR = 'istiod-default-validator';
const VALIDATOR_PREFIX = 'istio-validator';
const INJECTOR_PREFIX = 'istio-sidecar-injector';

/**
 * Istio's own webhooks on a cluster whose control plane runs elsewhere: each must reach istiod by
 * a URL that parses (IST0163) and names a host rather than an address (IST0164), or by a Service.
 */
export const externalControlPlaneAnalyzer: Analyzer = {
  name: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
  codes: ['IST0163', 'IST0164'],
  goFile: 'externalcontrolplane/externalcontrolplane.go',
  analyze(context) {
    for (const configuration of context.index.ofKind(KINDS.ValidatingWebhookConfiguration)) {
      const name = String(configuration.metadata?.name ?? '');
      if (name === DEFAULT_VALIDATOR || name.startsWith(VALIDATOR_PREFIX)) checkWebhooks(context, configuration);
    }
    for (const configuration of context.index.ofKind(KINDS.MutatingWebhookConfiguration)) {
      if (String(configuration.metadata?.name ?? '').startsWith(INJECTOR_PREFIX)) checkWebhooks(context, configuration);
    }
  },
};

function checkWebhooks(context: AnalysisContext, configuration: KubeObject): void {
  const webhooks: any[] = Array.isArray(configuration.webhooks) ? configuration.webhooks : [];
  webhooks.forEach((webhook, index) => {
    const name = String(webhook?.name ?? '');
    const { url, service } = webhook?.clientConfig ?? {};
    const path = `webhooks[${index}].clientConfig`;
    if (typeof url === 'string') {
      const parsed = parseGoUrl(url);
      if ('error' in parsed) context.report('InvalidExternalControlPlaneConfig', configuration, [url, name, 'was provided in an invalid format'], `${path}.url`);
      else if (isGoIp(parsed.hostname)) context.report('ExternalControlPlaneAddressIsNotAHostname', configuration, [url, name], `${path}.url`);
    } else if (!service) {
      context.report('InvalidExternalControlPlaneConfig', configuration, ['', name, 'is blank'], path);
    }
  });
}
