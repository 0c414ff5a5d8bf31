// Follows Istio's pkg/config/analysis/analyzers/serviceentry/protocoladdresses.go.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * A ServiceEntry whose port is TCP (or has no protocol) is matched by destination address only,
 * so it needs `addresses` unless Istio allocates them (IST0134).
 */
export const protocolAddressesAnalyzer: Analyzer = {
  name: 'serviceentry.Analyzer',
  typeName: 'serviceentry.ProtocolAddressesAnalyzer',
  codes: ['IST0134'],
  goFile: 'serviceentry/protocoladdresses.go',
  analyze(context) {
    // Addresses are allocated only while the proxies capture DNS, by either allocation switch.
    const metadata = context.meshConfig.defaultConfig?.proxyMetadata ?? {};
    const autoAllocated =
      metadata['ISTIO_META_DNS_CAPTURE'] === 'true' && (metadata['ISTIO_META_DNS_AUTO_ALLOCATE'] === 'true' || metadata['PILOT_ENABLE_IP_AUTOALLOCATE'] === 'true');
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
