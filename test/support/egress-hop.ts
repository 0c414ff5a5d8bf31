import type { Manifest } from './synth.js';

/** What an egress gateway makes of one caller's connection to an external host. */
export interface EgressHop {
  /** The TLS mode the caller's sidecar uses towards the gateway (its DestinationRule's). */
  readonly clientTls: string;
  /** The TLS mode of the gateway server that takes the connection. */
  readonly serverTls: string;
  /** The caller's principal as the gateway knows it: only when the gateway terminates Istio's mTLS. */
  readonly principal?: string;
  /** The SNI the gateway reads. */
  readonly sni: string;
  /** Whether the gateway's ALLOW policies admit the connection. */
  readonly allowed: boolean;
}

const fqdn = (name: string, namespace: string) => (name.includes('.') ? name : `${name}.${namespace}.svc.cluster.local`);
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.entries(selector).every(([key, value]) => labels[key] === value);

/**
 * Follows a call from a sidecar (`caller`'s ServiceAccount) to `host:port` through the
 * manifests' egress routing as Istio's proxies would: the mesh VirtualService to the gateway
 * Service, the caller's DestinationRule for that hop, the gateway server the SNI selects, the
 * identity the gateway learns from the handshake, and its AuthorizationPolicies on that identity.
 */
export function egressHop(objects: readonly Manifest[], caller: { namespace: string; serviceAccount: string }, host: string, port: number): EgressHop {
  const of = (kind: string) => objects.filter((object) => object.kind === kind);
  const vs = of('VirtualService').find((object) => object.spec.hosts?.includes(host) && object.spec.gateways?.includes('mesh'));
  if (!vs) throw new Error(`no mesh VirtualService for ${host}`);
  const fromMesh = [...(vs.spec.tls ?? []), ...(vs.spec.http ?? [])].find((rule: any) =>
    rule.match?.some((match: any) => match.gateways?.includes('mesh') && (match.port === undefined || match.port === port)),
  );
  const destination = fromMesh.route[0].destination;
  const gatewayHost = fqdn(destination.host, vs.metadata.namespace!);
  const gatewayPort: number = destination.port.number;

  // The caller's DestinationRule for the gateway Service: port-level settings over the policy's own.
  const rule = of('DestinationRule').find((object) => fqdn(object.spec.host, object.metadata.namespace!) === gatewayHost);
  const portLevel = rule?.spec.trafficPolicy?.portLevelSettings?.find((setting: any) => setting.port?.number === gatewayPort)?.tls;
  const clientTls = portLevel ?? rule?.spec.trafficPolicy?.tls ?? { mode: 'DISABLE' };
  const sni: string = clientTls.mode === 'ISTIO_MUTUAL' ? (clientTls.sni ?? gatewayHost) : host;

  const service = of('Service').find((object) => fqdn(object.metadata.name, object.metadata.namespace!) === gatewayHost);
  if (!service) throw new Error(`no Service ${gatewayHost}`);
  const servicePort = service.spec.ports.find((entry: any) => entry.port === gatewayPort);
  const podPort: number = servicePort?.targetPort ?? gatewayPort;
  const podLabels: Record<string, string> = service.spec.selector;
  const server = of('Gateway')
    .filter((gateway) => selects(gateway.spec.selector, podLabels))
    .flatMap((gateway) => gateway.spec.servers as any[])
    .find((candidate) => candidate.port.number === podPort && candidate.hosts.some((served: string) => served === sni || served.endsWith(`/${sni}`) || served === '*'));
  if (!server) throw new Error(`no gateway server on port ${podPort} for SNI ${sni}`);
  const serverTls: string = server.tls?.mode ?? 'PASSTHROUGH';
  if (serverTls === 'ISTIO_MUTUAL' && clientTls.mode !== 'ISTIO_MUTUAL') {
    return { clientTls: clientTls.mode, serverTls, sni, allowed: false };
  }
  const principal = serverTls === 'ISTIO_MUTUAL' ? `cluster.local/ns/${caller.namespace}/sa/${caller.serviceAccount}` : undefined;

  const policies = of('AuthorizationPolicy').filter(
    (policy) => policy.metadata.namespace === service.metadata.namespace && selects(policy.spec.selector?.matchLabels ?? {}, podLabels) && (policy.spec.action ?? 'ALLOW') === 'ALLOW',
  );
  const admits = (rule: any) =>
    (rule.from ?? []).every((from: any) => (from.source.principals ?? []).some((admitted: string) => admitted === principal)) &&
    (rule.when ?? []).every((condition: any) => condition.key !== 'connection.sni' || condition.values.includes(sni)) &&
    (rule.to ?? []).every((to: any) => (to.operation.hosts ?? [host]).includes(host));
  const allowed = policies.length === 0 || policies.some((policy) => (policy.spec.rules ?? []).some(admits));
  return { clientTls: clientTls.mode, serverTls, ...(principal ? { principal } : {}), sni, allowed };
}
