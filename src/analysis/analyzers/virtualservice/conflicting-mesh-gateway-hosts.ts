// Follows Istio's pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go.
import { type KubeObject, nameOf, namespaceOf, originOf, resolveHost } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { ALL_NAMESPACES } from '../../resources/service-registry.js';
import { appliesToMesh } from '../../resources/virtual-service.js';

/** Two VirtualServices for sidecars that define the same host (IST0109): Istio merges them unpredictably. */
export const conflictingMeshGatewayHostsAnalyzer: Analyzer = {
  name: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
  codes: ['IST0109'],
  analyze(context) {
    const byHost = new Map<string, KubeObject[]>();
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      if (!appliesToMesh(vs)) continue;
      const namespace = namespaceOf(vs);
      const exportTo: string[] = vs.spec?.exportTo ?? [];
      const scope = exportTo.length === 0 || exportTo.includes(ALL_NAMESPACES) ? ALL_NAMESPACES : namespace;
      for (const host of (vs.spec?.hosts ?? []) as string[]) {
        const key = `${scope}/${resolveHost(host, namespace)}`;
        byHost.set(key, [...(byHost.get(key) ?? []), vs]);
      }
    }
    const reported = new Set<string>();
    for (const [key, list] of byHost) {
      if (list.length < 2) continue;
      const names = list.map((vs) => `${namespaceOf(vs)}/${nameOf(vs)}`).join(',');
      for (const vs of list) {
        if (reported.has(originOf(vs))) continue;
        reported.add(originOf(vs));
        context.report('ConflictingMeshGatewayVirtualServiceHosts', vs, [names, key], 'spec.hosts');
      }
    }
  },
};
