import { describe, expect, it } from 'vitest';
import { nifi } from '../../examples/nifi.js';
import { analyze, type KubeObject } from '../../src/index.js';
import { find, synthExample } from '../support/synth.js';

const objects = synthExample(nifi);
const statefulSet = find(objects, 'StatefulSet', 'nifi');
const container = statefulSet.spec.template.spec.containers[0];
const env = Object.fromEntries((container.env as any[]).map((e) => [e.name, e.value ?? e.valueFrom]));

describe('examples/nifi (research checklist §5)', () => {
  it('runs the nodes as a StatefulSet that starts them together, behind a headless Service with every port, named for Istio', () => {
    expect(statefulSet.spec).toMatchObject({ replicas: 3, podManagementPolicy: 'Parallel', serviceName: 'nifi-headless' });
    const headless = find(objects, 'Service', 'nifi-headless').spec;
    expect(headless).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(headless.ports.map((p: any) => `${p.name} ${p.port}`)).toEqual(['https-ui 8443', 'tcp-cluster 11443', 'tcp-balance 6342', 'tcp-s2s 10000']);
    expect(env).toMatchObject({ NIFI_WEB_HTTPS_PORT: '8443', NIFI_CLUSTER_NODE_PROTOCOL_PORT: '11443', NIFI_CLUSTER_LOAD_BALANCE_PORT: '6342', NIFI_REMOTE_INPUT_SOCKET_PORT: '10000' });
    // Nodes advertise their own resolvable names on the headless Service.
    expect(env.POD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(env.NIFI_CLUSTER_ADDRESS).toBe('$(POD_NAME).nifi-headless.nifi.svc.cluster.local');
  });

  it('elects its leader and keeps cluster state in Kubernetes (Leases, ConfigMaps), with no ZooKeeper', () => {
    expect(env).toMatchObject({ NIFI_CLUSTER_LEADER_ELECTION_IMPLEMENTATION: 'KubernetesLeaderElectionManager', NIFI_STATE_MANAGEMENT_PROVIDER_CLUSTER: 'kubernetes-provider' });
    expect(find(objects, 'Role', 'nifi').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] },
    ]);
    expect(find(objects, 'RoleBinding', 'nifi').subjects).toEqual([{ kind: 'ServiceAccount', name: 'nifi', namespace: 'nifi' }]);
    expect(JSON.stringify(objects)).not.toMatch(/zookeeper|2181/i);
    expect(find(objects, 'Sidecar', 'nifi').spec.egress[0].hosts).toContain('default/kubernetes.default.svc.cluster.local');
  });

  it('keeps each user on one node with a dedicated cookie, and re-encrypts to NiFi’s TLS from the gateway', () => {
    expect(find(objects, 'DestinationRule', 'nifi-nifi')).toMatchObject({
      metadata: { namespace: 'istio-system' },
      spec: {
        host: 'nifi.nifi.svc.cluster.local',
        exportTo: ['.'],
        workloadSelector: { matchLabels: { istio: 'ingressgateway' } },
        trafficPolicy: {
          loadBalancer: { consistentHash: { httpCookie: { name: 'nifi-route', ttl: '13h' } } },
          tls: { mode: 'SIMPLE', sni: 'nifi.nifi.svc.cluster.local', credentialName: 'nifi-ca' },
        },
      },
    });
    expect(find(objects, 'PeerAuthentication', 'nifi').spec.portLevelMtls).toEqual({ '8443': { mode: 'PERMISSIVE' } });
    expect(find(objects, 'Gateway', 'nifi').spec.servers).toEqual([
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['nifi.example.com'], tls: { mode: 'SIMPLE', credentialName: 'nifi-tls', minProtocolVersion: 'TLSV1_2' } },
    ]);
    expect(env.NIFI_WEB_PROXY_HOST).toBe('nifi.example.com,nifi.example.com:443');
  });

  it('admits the nodes to each other on the cluster ports and keeps mutual TLS between them', () => {
    const rules = find(objects, 'AuthorizationPolicy', 'nifi').spec.rules;
    expect(rules).toContainEqual({ from: [{ source: { principals: ['cluster.local/ns/nifi/sa/nifi'] } }], to: [{ operation: { ports: ['6342', '10000', '11443'] } }] });
    expect(find(objects, 'DestinationRule', 'nifi').spec.trafficPolicy.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
  });

  it('spreads one node per host, under a PDB, with time to offload', () => {
    expect(statefulSet.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' });
    expect(find(objects, 'PodDisruptionBudget', 'nifi').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'nifi' } } });
    expect(statefulSet.spec.template.spec.terminationGracePeriodSeconds).toBe(300);
    expect(statefulSet.spec.volumeClaimTemplates.map((c: any) => `${c.metadata.name} ${c.spec.resources.requests.storage}`)).toEqual(['flowfile 10Gi', 'content 50Gi', 'provenance 10Gi', 'state 1Gi']);
  });

  it('scales by its node count and passes meshform analyze with no Error, its certificate issued by cert-manager', () => {
    expect(find(synthExample((scope) => nifi(scope, { nodes: 5 })), 'StatefulSet', 'nifi').spec.replicas).toBe(5);
    const findings = analyze(objects as KubeObject[]).filter((d) => d.level !== 'Info');
    expect(findings.map((d) => `${d.code} ${d.origin}`)).toEqual([]);
  });
});
