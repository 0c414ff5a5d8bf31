// Follows Istio's pkg/config/analysis/analyzers/deployment/pod.go.
import type { AnalysisContext, Analyzer } from '../../context.js';
import type { KubeObject } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';
import { isIstioControlPlane } from '../service/port-name.js';

const PROXY_UID = 1337;

/** An application running as UID 1337 bypasses the sidecar's traffic capture (IST0144). */
export const applicationUidAnalyzer: Analyzer = {
  name: 'applicationUID.Analyzer',
  typeName: 'deployment.ApplicationUIDAnalyzer',
  codes: ['IST0144'],
  goFile: 'deployment/pod.go',
  analyze(context) {
    for (const pod of context.index.ofKind(KINDS.Pod)) {
      if (!isIstioControlPlane(pod.metadata?.labels)) checkPodSpec(context, pod, pod.spec, 'spec');
    }
    for (const deployment of context.index.ofKind(KINDS.Deployment)) {
      if (!isIstioControlPlane(deployment.metadata?.labels)) checkPodSpec(context, deployment, deployment.spec?.template?.spec, 'spec.template.spec');
    }
  },
};

function checkPodSpec(context: AnalysisContext, owner: KubeObject, spec: any, path: string): void {
  if (spec?.securityContext?.runAsUser === PROXY_UID) context.report('InvalidApplicationUID', owner, [], `${path}.securityContext.runAsUser`);
  (spec?.containers ?? []).forEach((container: any, index: number) => {
    if (container?.name === 'istio-proxy' || container?.name === 'istio-operator') return;
    if (container?.securityContext?.runAsUser === PROXY_UID) {
      context.report('InvalidApplicationUID', owner, [], `${path}.containers[${index}].securityContext.runAsUser`);
    }
  });
}
