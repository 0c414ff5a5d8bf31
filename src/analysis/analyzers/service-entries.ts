import { resolveHost } from '../../core/index.js';
import type { Analyzer } from '../context.js';
import { nameOf, namespaceOf, type KubeObject } from '../manifest.js';
import { KINDS } from '../resource-index.js';

/**
 * A ServiceEntry whose port is TCP (or has no protocol) is matched by destination address only,
 * so it needs `addresses` unless Istio allocates them (IST0134).
 */
export const protocolAddressesAnalyzer: Analyzer = {
  name: 'serviceentry.ProtocolAddressesAnalyzer',
  codes: ['IST0134'],
  analyze(context) {
    const autoAllocated = context.meshConfig.defaultConfig?.proxyMetadata?.['ISTIO_META_DNS_AUTO_ALLOCATE'] === 'true';
    if (autoAllocated) return;
    for (const se of context.index.ofKind(KINDS.ServiceEntry)) {
      if ((se.spec?.addresses ?? []).length > 0 || ((se.status as any)?.addresses ?? []).length > 0) continue;
      (se.spec?.ports ?? []).forEach((port: any, index: number) => {
        const protocol = String(port?.protocol ?? '').toUpperCase();
        if (protocol === '' || protocol === 'TCP') context.report('ServiceEntryAddressesRequired', se, [], `spec.ports[${index}]`);
      });
    }
  },
};

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
