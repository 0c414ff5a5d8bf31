// meshform's own check: Istio validates only its own kinds.
import { kindKey } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { ISTIO_VALIDATED_KINDS, reportSchemaIssues } from '../schema/validation.js';

/**
 * Objects of other kinds with a field of the wrong type or a field their schema does not declare
 * (IST0106), which `kubectl apply` refuses (strict field validation): istioctl fails to read such a
 * file, or passes the unknown field; meshform names the field and analyzes the rest.
 */
export const kubernetesSchemaAnalyzer: Analyzer = {
  name: 'meshform.KubernetesSchemaAnalyzer',
  codes: ['IST0106'],
  analyze(context) {
    for (const object of context.allObjects) {
      if (ISTIO_VALIDATED_KINDS.has(kindKey(object))) continue;
      reportSchemaIssues(context, object, (issue) => issue.keyword === 'type' || issue.keyword === 'additionalProperties');
    }
  },
};
