import { describe, expect, it } from 'vitest';
import { airflow } from '../../examples/airflow.js';
import { analyze, type KubeObject } from '../../src/index.js';
import { find, synthExample, type Manifest } from '../support/synth.js';

const objects = synthExample(airflow);
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
const podSpecOf = (o: Manifest) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);
const containerOf = (o: Manifest) => podSpecOf(o).containers[0];
const principal = (account: string) => `cluster.local/ns/airflow/sa/${account}`;
/** Who may call a workload, with what: `caller → operation` for each rule. */
const callers = (name: string) =>
  find(objects, 'AuthorizationPolicy', name).spec.rules.map((rule: any) => `${rule.from?.[0].source.principals.join(',') ?? 'anyone'} → ${JSON.stringify(rule.to?.[0].operation ?? 'all')}`);

describe('examples/airflow (research checklist §5)', () => {
  it('serves the UI and the Execution API from the api-server on an Istio-named 8080, which workers, triggerer and task pods may call', () => {
    expect(find(objects, 'Service', 'api-server').spec.ports).toEqual([{ name: 'http-api', port: 8080, protocol: 'TCP', targetPort: 8080 }]);
    expect(containerOf(find(objects, 'Deployment', 'api-server-v1')).command).toEqual(['bash', '-c', 'exec airflow api-server']);
    const execution = JSON.stringify({ paths: ['/execution/*'], ports: ['8080'] });
    expect(callers('api-server')).toEqual([
      'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account → "all"',
      `${principal('airflow-task')} → ${execution}`,
      `${principal('triggerer')} → ${execution}`,
      `${principal('worker')} → ${execution}`,
    ]);
  });

  it('references the shared secrets (Fernet, JWT, API secret) from one Secret and inlines none', () => {
    const env = containerOf(find(objects, 'Deployment', 'api-server-v1')).env as any[];
    const fromSecret = Object.fromEntries(env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => [e.name, e.valueFrom.secretKeyRef]));
    expect(fromSecret).toMatchObject({
      AIRFLOW__CORE__FERNET_KEY: { name: 'airflow-secrets', key: 'fernet-key' },
      AIRFLOW__API_AUTH__JWT_SECRET: { name: 'airflow-secrets', key: 'jwt-secret' },
      AIRFLOW__API__SECRET_KEY: { name: 'airflow-secrets', key: 'api-secret-key' },
    });
    expect(ofKind('Secret')).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/FERNET_KEY","value"/);
  });

  it('scales Celery workers with KEDA on queued and running tasks ÷ worker_concurrency, and never with an HPA too', () => {
    const scaled = find(objects, 'ScaledObject', 'worker').spec;
    expect(scaled).toMatchObject({ scaleTargetRef: { kind: 'StatefulSet', name: 'worker' }, minReplicaCount: 0, maxReplicaCount: 10, pollingInterval: 5, cooldownPeriod: 30 });
    expect(scaled.triggers[0]).toMatchObject({ type: 'postgresql', metadata: { targetQueryValue: '1', connectionFromEnv: 'AIRFLOW_CONN_AIRFLOW_DB' } });
    expect(scaled.triggers[0].metadata.query).toMatch(/^SELECT ceil\(COUNT\(\*\)::decimal \/ 16\) FROM task_instance WHERE \(state='running' OR state='queued'\)/);
    expect(containerOf(find(objects, 'StatefulSet', 'worker')).env).toContainEqual({ name: 'AIRFLOW__CELERY__WORKER_CONCURRENCY', value: '16' });
    const targets = [...ofKind('HorizontalPodAutoscaler'), ...ofKind('ScaledObject')].map((o) => `${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}`);
    expect(targets).toEqual(['Deployment/api-server-v1', 'StatefulSet/worker']);
    // An autoscaled workload leaves its replica count to the autoscaler.
    expect(find(objects, 'StatefulSet', 'worker').spec.replicas).toBeUndefined();
  });

  it('scales the api-server with an autoscaling/v2 HPA on the application container’s CPU, 2 to 5, under a PDB', () => {
    expect(find(objects, 'HorizontalPodAutoscaler', 'api-server')).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: { minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'api-server', target: { averageUtilization: 50 } } }] },
    });
    expect(find(objects, 'Deployment', 'api-server-v1').spec.replicas).toBeUndefined();
    const budgets = Object.fromEntries(ofKind('PodDisruptionBudget').map((o) => [o.metadata.name, o.spec.maxUnavailable]));
    expect(budgets).toEqual({ postgres: 0, 'api-server': 1, worker: 1, triggerer: 1, scheduler: 1 });
  });

  it('runs workers as a StatefulSet behind a headless logs Service, with a 10-minute grace the proxy’s drain honors', () => {
    expect(find(objects, 'Service', 'worker-headless').spec).toMatchObject({ clusterIP: 'None', ports: [{ name: 'http-logs', port: 8793 }] });
    expect(podSpecOf(find(objects, 'StatefulSet', 'worker')).terminationGracePeriodSeconds).toBe(600);
    // A native sidecar stops after the application, so the proxy needs no longer drain.
    expect(find(objects, 'StatefulSet', 'worker').spec.template.metadata.annotations['proxy.istio.io/config']).toBeUndefined();
  });

  it('keeps the statsd UDP ingest out of the mesh and opens its scrape port to a Prometheus outside it', () => {
    expect(find(objects, 'Service', 'statsd').spec.ports).toEqual([
      { name: 'udp-ingest', port: 9125, protocol: 'UDP', targetPort: 9125 },
      { name: 'http-scrape', port: 9102, protocol: 'TCP', targetPort: 9102 },
    ]);
    expect(containerOf(find(objects, 'Deployment', 'statsd-v1')).ports).toEqual([{ containerPort: 9125, protocol: 'UDP' }, { containerPort: 9102 }]);
    expect(find(objects, 'PeerAuthentication', 'statsd').spec.portLevelMtls).toEqual({ '9102': { mode: 'PERMISSIVE' } });
  });

  it('gives the db-migrate Job and the KubernetesExecutor task pods native sidecars, so that they finish', () => {
    expect(find(objects, 'Job', 'db-migrate').spec.template.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    const file = find(objects, 'ConfigMap', 'airflow-task').data['pod_template_file.yaml'] as string;
    expect(file).toMatch(/sidecar\.istio\.io\/nativeSidecar: "true"/);
    expect(file).toMatch(/restartPolicy: Never/);
    expect(file).toMatch(/- name: base\n|name: base$/m);
    // The scheduler mounts the template and may create the pods.
    expect(find(objects, 'Role', 'scheduler').rules[0]).toEqual({ apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'] });
    expect(podSpecOf(find(objects, 'Deployment', 'scheduler')).volumes).toEqual([{ name: 'pod-templates', configMap: { name: 'airflow-task' } }]);
  });

  it('holds STRICT mTLS under an allow-nothing default, and admits exactly the edges Airflow uses', () => {
    expect(find(objects, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(find(objects, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    const all = '"all"';
    expect(callers('postgres')).toEqual([
      `${['api-server', 'dag-processor', 'db-migrate', 'scheduler', 'triggerer', 'worker'].map(principal).join(',')} → ${all}`,
      `cluster.local/ns/keda/sa/keda-operator → ${JSON.stringify({ ports: ['5432'] })}`,
    ]);
    expect(callers('redis')).toEqual([`${principal('scheduler')},${principal('worker')} → ${all}`]);
    expect(callers('worker')).toEqual([`${principal('api-server')} → ${JSON.stringify({ methods: ['GET'], paths: ['/log/*'] })}`]);
    expect(callers('triggerer')).toEqual([`${principal('api-server')} → ${JSON.stringify({ methods: ['GET'], paths: ['/log/*'] })}`]);
  });

  it('runs Airflow as its own user, never as the proxy’s 1337, and names every port for Istio', () => {
    const users = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind)).map((o) => containerOf(o).securityContext?.runAsUser);
    expect(users).not.toContain(1337);
    expect(users.filter((uid) => uid === 50000).length).toBe(6);
    const findings = analyze(objects as KubeObject[]).filter((d) => d.level !== 'Info');
    expect(findings.map((d) => `${d.code} ${d.origin}`)).toEqual([]);
  });

  it('takes an external database instead of the bundled PostgreSQL', () => {
    const external = synthExample((scope) => airflow(scope, { externalDatabase: { host: 'airflow-db.example.internal' } }));
    expect(external.filter((o) => o.metadata.name === 'postgres').map((o) => o.kind)).toEqual(['ServiceEntry']);
    expect(find(external, 'ServiceEntry', 'postgres').spec).toEqual({
      hosts: ['airflow-db.example.internal'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 5432, name: 'tcp-postgres', protocol: 'TCP' }],
    });
    expect(find(external, 'Sidecar', 'scheduler').spec.egress[0].hosts).toContain('airflow/airflow-db.example.internal');
    // Without addresses a TCP ServiceEntry is matched by nothing (IST0134); with them the path is clean.
    expect(analyze(external as KubeObject[]).filter((d) => d.code === 'IST0134').map((d) => d.origin)).toEqual(['ServiceEntry airflow/postgres']);
    const addressed = synthExample((scope) => airflow(scope, { externalDatabase: { host: 'airflow-db.example.internal', addresses: ['10.20.0.5'] } }));
    expect(find(addressed, 'ServiceEntry', 'postgres').spec.addresses).toEqual(['10.20.0.5']);
    const findings = analyze(addressed as KubeObject[]).filter((d) => d.level !== 'Info');
    expect(findings.map((d) => `${d.code} ${d.origin}`)).toEqual([]);
  });

  it('scales the workers and the api-server within the bounds given', () => {
    const scaled = synthExample((scope) => airflow(scope, { workers: { min: 2, max: 40 }, apiServerReplicas: { min: 3, max: 8 } }));
    expect(find(scaled, 'ScaledObject', 'worker').spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 40 });
    expect(find(scaled, 'HorizontalPodAutoscaler', 'api-server').spec).toMatchObject({ minReplicas: 3, maxReplicas: 8 });
  });
});
