// Follows Istio's pkg/config/analysis/analyzers/serviceentry/conflictingserviceentries.go.
import { type KubeObject, nameOf, namespaceOf, resolveHost } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** Namespaces a ServiceEntry is visible in; undefined means all. */
function exportScope(se: KubeObject): Set<string> | undefined {
  const exportTo: string[] = se.spec?.exportTo ?? [];
  if (exportTo.length === 0 || exportTo.includes('*')) return undefined;
  return new Set(exportTo.map((scope) => (scope === '.' ? namespaceOf(se) : scope)));
}

function scopesOverlap(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  return !a || !b || [...a].some((namespace) => b.has(namespace));
}

/** ServiceEntries visible together that give one host and port different protocols (IST0177). */
export const conflictingServiceEntryProtocolAnalyzer: Analyzer = {
  name: 'serviceentry.ConflictingServiceEntryProtocolAnalyzer',
  codes: ['IST0177'],
  goFile: 'serviceentry/conflictingserviceentries.go',
  analyze(context) {
    const byHostPort = new Map<string, { se: KubeObject; protocol: string; host: string; port: number }[]>();
    for (const se of context.index.ofKind(KINDS.ServiceEntry)) {
      for (const host of (se.spec?.hosts ?? []) as string[]) {
        for (const port of se.spec?.ports ?? []) {
          const key = `${resolveHost(host, namespaceOf(se))}:${port?.number}`;
          const entry = { se, protocol: String(port?.protocol ?? '').toUpperCase(), host, port: port?.number };
          byHostPort.set(key, [...(byHostPort.get(key) ?? []), entry]);
        }
      }
    }
    for (const entries of byHostPort.values()) {
      for (const entry of entries) {
        const conflicting = entries.filter(
          (other) => other.se !== entry.se && other.protocol !== entry.protocol && scopesOverlap(exportScope(entry.se), exportScope(other.se)),
        );
        if (conflicting.length === 0) continue;
        const involved = [entry, ...conflicting];
        const names = involved.map((e) => `${namespaceOf(e.se)}/${nameOf(e.se)}`).sort().join(', ');
        const protocols = [...new Set(involved.map((e) => e.protocol || 'unset'))].sort().join(', ');
        context.report('ConflictingServiceEntryProtocol', entry.se, [names, entry.host, entry.port, protocols]);
      }
    }
  },
};
