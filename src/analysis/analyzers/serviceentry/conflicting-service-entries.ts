// Follows Istio's pkg/config/analysis/analyzers/serviceentry/conflictingserviceentries.go.
import { type KubeObject, nameOf, namespaceOf, originOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** The scopes a ServiceEntry is exported to: `*`, or each namespace (`.` as its own). */
function exportScopes(se: KubeObject): string[] {
  const exportTo: unknown[] = Array.isArray(se.spec?.exportTo) ? se.spec.exportTo : [];
  if (exportTo.length === 0 || exportTo.includes('*')) return ['*'];
  return [...new Set(exportTo.map((scope) => (scope === '.' ? namespaceOf(se) : String(scope))))];
}

/**
 * ServiceEntries that give one host and port different protocols where they are visible
 * (IST0177). As conflictingserviceentries.go: entries are keyed by scope, host as written and
 * port; a namespace scope also sees the entries exported to all; each ServiceEntry is reported
 * once, with every ServiceEntry and protocol of the key that first finds it.
 */
export const conflictingServiceEntryProtocolAnalyzer: Analyzer = {
  name: 'serviceentry.ConflictingServiceEntryProtocolAnalyzer',
  codes: ['IST0177'],
  goFile: 'serviceentry/conflictingserviceentries.go',
  analyze(context) {
    type Group = { scope: string; host: string; port: number; entries: { se: KubeObject; protocol: string }[] };
    const byKey = new Map<string, Group>();
    for (const se of context.index.ofKind(KINDS.ServiceEntry)) {
      for (const scope of exportScopes(se)) {
        for (const host of (Array.isArray(se.spec?.hosts) ? se.spec.hosts : []) as unknown[]) {
          for (const port of (Array.isArray(se.spec?.ports) ? se.spec.ports : []) as any[]) {
            const key = JSON.stringify([scope, String(host), port?.number]);
            const group: Group = byKey.get(key) ?? { scope, host: String(host), port: port?.number, entries: [] };
            group.entries.push({ se, protocol: String(port?.protocol ?? '') });
            byKey.set(key, group);
          }
        }
      }
    }
    const reported = new Set<string>();
    for (const group of byKey.values()) {
      const star = group.scope === '*' ? [] : (byKey.get(JSON.stringify(['*', group.host, group.port]))?.entries ?? []);
      const entries = [...group.entries, ...star];
      const protocols = [...new Set(entries.map((entry) => entry.protocol.toUpperCase()))].sort();
      if (protocols.length < 2) continue;
      const names = [...new Set(entries.map((entry) => `${namespaceOf(entry.se)}/${nameOf(entry.se)}`))].sort().join(', ');
      for (const { se } of entries) {
        if (reported.has(originOf(se))) continue;
        reported.add(originOf(se));
        context.report('ConflictingServiceEntryProtocol', se, [names, group.host, group.port, protocols.join(', ')], 'metadata.name');
      }
    }
  },
};
