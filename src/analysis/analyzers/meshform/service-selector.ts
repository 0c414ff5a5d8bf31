// meshform's own check (an MF code): Istio has no analyzer for it.
import type { Analyzer } from '../../context.js';
import { namespaceOf } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

/** A Service whose selector matches no pod or pod template of its namespace routes nowhere (MF0003). */
export const serviceSelectorAnalyzer: Analyzer = {
  name: 'meshform.ServiceSelectorAnalyzer',
  codes: ['MF0003'],
  analyze(context) {
    for (const service of context.index.ofKind(KINDS.Service)) {
      const selector = service.spec?.selector;
      if (!selector || Object.keys(selector).length === 0 || service.spec?.type === 'ExternalName') continue;
      if (context.index.podsMatching(selector, namespaceOf(service)).length === 0) {
        context.report('ServiceSelectsNoPods', service, [selectorString(selector), namespaceOf(service)], 'spec.selector');
      }
    }
  },
};
