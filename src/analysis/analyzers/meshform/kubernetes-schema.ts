// meshform's own check: Istio validates only its own kinds.
import { kindKey } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { ISTIO_VALIDATED_KINDS, reportSchemaIssues } from '../schema/validation.js';
import { celRuleViolations } from '../../validation/cel-rules.js';
import { isWellTyped } from '../../validation/well-typed.js';

/**
 * Objects of other kinds with a field of the wrong type, a field their schema does not declare, or
 * a breach of their CRD's CEL rules (IST0106), which `kubectl apply` refuses: istioctl fails to
 * read such a file, or passes it; meshform names the field and analyzes the rest.
 */
export const kubernetesSchemaAnalyzer: Analyzer = {
  name: 'meshform.KubernetesSchemaAnalyzer',
  codes: ['IST0106'],
  analyze(context) {
    for (const object of context.allObjects) {
      if (ISTIO_VALIDATED_KINDS.has(kindKey(object))) continue;
      reportSchemaIssues(context, object, (issue) => issue.keyword === 'type' || issue.keyword === 'additionalProperties');
      // The CEL rules of other CRDs (KEDA's, cert-manager's, the Gateway API's), where known.
      if (isWellTyped(object)) for (const { path, message } of celRuleViolations(object, context.crds)) context.report('SchemaValidationError', object, [`${path}: ${message}`], path);
    }
  },
};
