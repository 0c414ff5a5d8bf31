// meshform's own check (an MF code): Istio has no analyzer for it.
import { splitGatewayHost, wildcardCovers } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

interface Server {
  port?: { protocol?: string };
  hosts?: string[];
  tls?: { httpsRedirect?: boolean; mode?: string };
}

/** A server that answers HTTPS for its hosts: HTTPS, or TLS that the gateway terminates. */
function servesHttps(server: Server | undefined): boolean {
  const protocol = String(server?.port?.protocol ?? '').toUpperCase();
  const mode = server?.tls?.mode ?? 'SIMPLE';
  return protocol === 'HTTPS' || (protocol === 'TLS' && mode !== 'PASSTHROUGH' && mode !== 'AUTO_PASSTHROUGH');
}

/**
 * An HTTP server that redirects a host to HTTPS, while no Gateway has an HTTPS server for that
 * host: every redirected request then finds nothing to answer it (MF0010).
 */
export const httpsRedirectTargetAnalyzer: Analyzer = {
  name: 'meshform.HttpsRedirectTargetAnalyzer',
  codes: ['MF0010'],
  analyze(context) {
    const gateways = context.index.ofKind(KINDS.Gateway);
    const httpsHosts = gateways.flatMap((gateway) => ((gateway.spec?.servers ?? []) as Server[]).filter(servesHttps).flatMap((server) => server.hosts ?? []).map((entry) => splitGatewayHost(entry).host));
    for (const gateway of gateways) {
      ((gateway.spec?.servers ?? []) as Server[]).forEach((server, index) => {
        if (String(server?.port?.protocol ?? '').toUpperCase() !== 'HTTP' || server.tls?.httpsRedirect !== true) return;
        for (const entry of server.hosts ?? []) {
          const { host } = splitGatewayHost(entry);
          if (!httpsHosts.some((served) => wildcardCovers(served, host))) context.report('HttpsRedirectWithoutHttps', gateway, [host], `spec.servers[${index}].tls.httpsRedirect`);
        }
      });
    }
  },
};
