// Follows Istio's pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go.
import { appendTo, hostsIntersect, type KubeObject, nameOf, namespaceOf, originOf, resolveHost } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { ALL_NAMESPACES } from '../../resources/service-registry.js';
import { appliesToMesh } from '../../resources/virtual-service.js';

/**
 * Two VirtualServices for sidecars that define the same host for the same namespaces (IST0109):
 * Istio merges them unpredictably. A host is scoped by the VirtualService's exportTo (each
 * namespace it names, `.` for its own, or all); a host exported to some namespaces also clashes
 * with every host exported to all that overlaps it, wildcards included.
 */
export const conflictingMeshGatewayHostsAnalyzer: Analyzer = {
  name: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
  codes: ['IST0109'],
  goFile: 'virtualservice/conflictingmeshgatewayhosts.go',
  analyze(context) {
    const byScopedHost = new Map<string, KubeObject[]>();
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      if (!appliesToMesh(vs)) continue;
      const namespace = namespaceOf(vs);
      for (const scope of exportScopes(vs, namespace)) {
        for (const host of (vs.spec?.hosts ?? []) as string[]) {
          const key = `${scope}/${resolveHost(String(host), namespace)}`;
          appendTo(byScopedHost, key, vs);
        }
      }
    }
    const exportedToAll = [...byScopedHost].filter(([key]) => scopeOf(key) === ALL_NAMESPACES);
    const reported = new Set<string>();
    for (const [key, own] of byScopedHost) {
      const host = hostOf(key);
      const list = scopeOf(key) === ALL_NAMESPACES ? own : [...own, ...exportedToAll.filter(([other]) => hostsIntersect(host, hostOf(other))).flatMap(([, vss]) => vss)];
      if (list.length < 2) continue;
      const names = list.map((vs) => `${namespaceOf(vs)}/${nameOf(vs)}`).sort().join(',');
      for (const vs of list) {
        if (reported.has(originOf(vs))) continue;
        reported.add(originOf(vs));
        context.report('ConflictingMeshGatewayVirtualServiceHosts', vs, [names, key], 'metadata.name');
      }
    }
  },
};

/** The namespaces a VirtualService's hosts are visible in: `*`, or each exportTo entry (`.` as its own). */
function exportScopes(vs: KubeObject, namespace: string): string[] {
  const exportTo: unknown[] = Array.isArray(vs.spec?.exportTo) ? vs.spec.exportTo : [];
  if (exportTo.length === 0 || exportTo.includes(ALL_NAMESPACES)) return [ALL_NAMESPACES];
  return [...new Set(exportTo.map((entry) => (entry === '.' ? namespace : String(entry))))];
}

const scopeOf = (key: string) => key.slice(0, key.indexOf('/'));
const hostOf = (key: string) => key.slice(key.indexOf('/') + 1);
