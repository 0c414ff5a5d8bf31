import type { Chart } from 'cdk8s';
import { checkProps } from '../constructs/validation/check-props.js';
import {
  Autoscaling,
  HealthCheck,
  Mesh,
  MeshGateway,
  MeshJob,
  MeshService,
  MeshWorker,
  ExternalService,
  ServicePort,
  TaskPodTemplate,
  type CertificateIssuer,
  type ContainerResources,
  type Principal,
  type SecretKeyReference,
} from '../index.js';

/** What a platform team varies between its Airflow installations. */
export interface AirflowOptions {
  /** @default 'airflow' */
  readonly namespace?: string;
  /** Identity of the ingress gateway pods. @default - MeshGateway's default (the installed gateway's in a MeshStack given `istio`) */
  readonly gatewayIdentity?: Principal;
  /** @default 'apache/airflow:3.2.2' */
  readonly image?: string;
  /** Public host of the UI and API. @default 'airflow.example.com' */
  readonly host?: string;
  /** Secret (in the gateway namespace) with the host's certificate. @default 'airflow-tls' */
  readonly tlsSecret?: string;
  /**
   * Have cert-manager issue the host's certificate into `tlsSecret`, from this issuer.
   * @default - none: the Secret is provided some other way
   */
  readonly certificateIssuer?: CertificateIssuer;
  /**
   * Secret with the keys every replica must share: `fernet-key`, `jwt-secret`, `api-secret-key`,
   * `sql-alchemy-conn`, `result-backend`, `broker-url`, `postgres-password`. KEDA's trigger reads
   * `sql-alchemy-conn` too, so write it in libpq's form (`postgresql://…`, no `+psycopg2`).
   * @default 'airflow-secrets'
   */
  readonly secretName?: string;
  /** api-server replicas, scaled on CPU between these. @default { min: 2, max: 5 } */
  readonly apiServerReplicas?: { readonly min: number; readonly max: number };
  /** Celery workers, scaled by KEDA on queued and running tasks between these. @default { min: 0, max: 10 } */
  readonly workers?: { readonly min: number; readonly max: number };
  /** Tasks one worker runs at once (Celery's worker_concurrency; KEDA divides by it). @default 16 */
  readonly workerConcurrency?: number;
  /** @default 2 */
  readonly schedulerReplicas?: number;
  /**
   * An external PostgreSQL (host of the `sql-alchemy-conn`) instead of the bundled StatefulSet,
   * as production installs use. Its `addresses` let the proxies match its TCP port by address
   * (IST0134 otherwise, unless they capture DNS); a managed database's private IP, say.
   * @default - a PostgreSQL StatefulSet in the namespace
   */
  readonly externalDatabase?: { readonly host: string; readonly port?: number; readonly addresses?: readonly string[] };
  /** Identity of KEDA's operator, which queries the database for the queue depth. @default keda/keda-operator */
  readonly kedaIdentity?: Principal;
  /** Resources per component. @default - the sizes of the research notes */
  readonly resources?: Partial<Record<'apiServer' | 'scheduler' | 'dagProcessor' | 'triggerer' | 'worker', ContainerResources>>;
}

const AIRFLOW_UID = 50000;

/**
 * Apache Airflow 3 with the CeleryExecutor behind the mesh: the api-server (UI and Execution API
 * on 8080) behind a TLS gateway and an HPA; two schedulers, a dag-processor, two triggerers;
 * Celery workers that KEDA scales on the queue depth, with a PodDisruptionBudget and a 10-minute
 * grace; Redis; PostgreSQL (or an external one); statsd, whose UDP ingest Istio does not proxy; the
 * `db migrate` Job and KubernetesExecutor task pods with native sidecars, so they finish. Shared
 * secrets come from one Secret; the namespace admits only the calls Airflow makes.
 *
 * Adds the objects to `chart`: a cdk8s chart, or the one a Pulumi MeshStack's `build` is given.
 */
export function buildAirflow(chart: Chart, given: AirflowOptions = {}): void {
  const options = checkProps(given, 'AirflowOptions', chart.node.path || 'buildAirflow', '');
  const namespace = options.namespace ?? 'airflow';
  const image = options.image ?? 'apache/airflow:3.2.2';
  const secretName = options.secretName ?? 'airflow-secrets';
  const secret = (key: string): SecretKeyReference => ({ secret: secretName, key });
  const concurrency = options.workerConcurrency ?? 16;
  const sizes = {
    apiServer: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    scheduler: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    dagProcessor: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
    triggerer: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
    worker: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    ...options.resources,
  };
  const proxy = { resources: { cpu: '100m', memory: '128Mi' } };
  const mesh = new Mesh(chart, 'Mesh', { namespace, scopeSidecars: true });

  new MeshService(chart, 'statsd', {
    mesh,
    image: 'quay.io/prometheus/statsd-exporter:v0.28.0',
    // Istio never proxies UDP: the ingest stays out of the mesh, the scrape port takes Prometheus' plain text.
    ports: [ServicePort.udp(9125, { suffix: 'ingest' }), ServicePort.http(9102, { suffix: 'scrape' })],
    mtls: { portLevelMtls: { 9102: 'PERMISSIVE' } },
    runAsUser: 65534,
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
    readiness: HealthCheck.http('/metrics', { port: 9102 }),
    proxy,
  });
  const redis = new MeshService(chart, 'redis', {
    mesh,
    image: 'redis:7.2-bookworm',
    ports: [ServicePort.tcp(6379, { suffix: 'redis' })],
    // The image's redis user: its entrypoint would otherwise start as root to change to it.
    runAsUser: 999,
    fsGroup: 999,
    stateful: { volumeClaims: [{ name: 'data', mountPath: '/data', storage: '1Gi' }] },
    terminationGracePeriodSeconds: 600,
    resources: { requests: { cpu: '100m', memory: '256Mi' } },
    readiness: HealthCheck.tcp(),
    proxy,
  });
  const databasePort = ServicePort.tcp(options.externalDatabase?.port ?? 5432, { suffix: 'postgres' });
  const database = options.externalDatabase
    ? new ExternalService(chart, 'postgres', { mesh, host: options.externalDatabase.host, ports: [databasePort], addresses: options.externalDatabase.addresses })
    : new MeshService(chart, 'postgres', {
        mesh,
        image: 'postgres:16',
        ports: [databasePort],
        // The image's postgres user, owning the data volume (the entrypoint supports running as it).
        runAsUser: 999,
        fsGroup: 999,
        stateful: { volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', storage: '20Gi' }] },
        env: { POSTGRES_USER: 'airflow', POSTGRES_DB: 'airflow', PGDATA: '/var/lib/postgresql/data/pgdata' },
        secretEnv: { POSTGRES_PASSWORD: secret('postgres-password') },
        resources: { requests: { cpu: '500m', memory: '1Gi' } },
        readiness: HealthCheck.tcp(),
        terminationGracePeriodSeconds: 120,
        disruptionBudget: { maxUnavailable: 0 },
        proxy,
      });

  // Every Airflow component: the same image, config and shared secrets, Airflow's own user.
  const airflowPod = {
    mesh,
    image,
    runAsUser: AIRFLOW_UID,
    fsGroup: 0,
    proxy,
    env: {
      AIRFLOW__CORE__EXECUTOR: 'CeleryExecutor,KubernetesExecutor',
      AIRFLOW__CORE__EXECUTION_API_SERVER_URL: 'http://api-server:8080/execution/',
      AIRFLOW__CELERY__WORKER_CONCURRENCY: String(concurrency),
      AIRFLOW__METRICS__STATSD_ON: 'True',
      AIRFLOW__METRICS__STATSD_HOST: 'statsd',
      AIRFLOW__METRICS__STATSD_PORT: '9125',
      AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE: namespace,
      AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE: '/opt/airflow/pod-templates/pod_template_file.yaml',
      AIRFLOW__FAB__ENABLE_PROXY_FIX: 'True',
    },
    secretEnv: {
      AIRFLOW__CORE__FERNET_KEY: secret('fernet-key'),
      AIRFLOW__API_AUTH__JWT_SECRET: secret('jwt-secret'),
      AIRFLOW__API__SECRET_KEY: secret('api-secret-key'),
      AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: secret('sql-alchemy-conn'),
      AIRFLOW__CELERY__RESULT_BACKEND: secret('result-backend'),
      AIRFLOW__CELERY__BROKER_URL: secret('broker-url'),
    },
  };

  const apiServer = new MeshService(chart, 'api-server', {
    ...airflowPod,
    command: ['bash', '-c', 'exec airflow api-server'],
    ports: [ServicePort.http(8080, { suffix: 'api' })],
    resources: sizes.apiServer,
    readiness: HealthCheck.http('/api/v2/monitor/health'),
    liveness: HealthCheck.http('/api/v2/monitor/health', { periodSeconds: 30 }),
    autoscaling: Autoscaling.cpu({ minReplicas: options.apiServerReplicas?.min ?? 2, maxReplicas: options.apiServerReplicas?.max ?? 5, utilization: 50, container: 'api-server' }),
    disruptionBudget: { maxUnavailable: 1 },
    topologySpread: { across: 'zone' },
  });

  // Workers take up to 10 minutes to finish their tasks; native sidecars stop after them.
  const workers = new MeshService(chart, 'worker', {
    ...airflowPod,
    command: ['bash', '-c', 'exec airflow celery worker'],
    // The connection KEDA's trigger reads from the scale target.
    secretEnv: { ...airflowPod.secretEnv, AIRFLOW_CONN_AIRFLOW_DB: secret('sql-alchemy-conn') },
    ports: [ServicePort.http(8793, { suffix: 'logs' })],
    stateful: { volumeClaims: [{ name: 'logs', mountPath: '/opt/airflow/logs', storage: '100Gi' }] },
    resources: sizes.worker,
    terminationGracePeriodSeconds: 600,
    autoscaling: Autoscaling.keda({
      minReplicas: options.workers?.min ?? 0,
      maxReplicas: options.workers?.max ?? 10,
      pollingInterval: 5,
      cooldownPeriod: 30,
      scaleDownStabilizationSeconds: 300,
      triggers: [
        {
          type: 'postgresql',
          metadata: {
            targetQueryValue: '1',
            connectionFromEnv: 'AIRFLOW_CONN_AIRFLOW_DB',
            query: `SELECT ceil(COUNT(*)::decimal / ${concurrency}) FROM task_instance WHERE (state='running' OR state='queued') AND executor IS DISTINCT FROM 'KubernetesExecutor'`,
          },
        },
      ],
    }),
    disruptionBudget: { maxUnavailable: 1 },
    topologySpread: { across: 'hostname' },
  });
  const triggerer = new MeshService(chart, 'triggerer', {
    ...airflowPod,
    command: ['bash', '-c', 'exec airflow triggerer'],
    ports: [ServicePort.http(8794, { suffix: 'logs' })],
    replicas: 2,
    resources: sizes.triggerer,
    terminationGracePeriodSeconds: 60,
    disruptionBudget: { maxUnavailable: 1 },
  });
  const scheduler = new MeshWorker(chart, 'scheduler', {
    ...airflowPod,
    command: ['bash', '-c', 'exec airflow scheduler'],
    replicas: options.schedulerReplicas ?? 2,
    resources: sizes.scheduler,
    liveness: HealthCheck.http('/health', { port: 8974, periodSeconds: 30 }),
    env: { ...airflowPod.env, AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK: 'True' },
    files: [{ name: 'pod-templates', mountPath: '/opt/airflow/pod-templates', configMap: 'airflow-task' }],
    disruptionBudget: { maxUnavailable: 1 },
    // The KubernetesExecutor creates, watches and deletes the task pods.
    kubernetesApiAccess: [
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ],
  });
  const dagProcessor = new MeshWorker(chart, 'dag-processor', { ...airflowPod, command: ['bash', '-c', 'exec airflow dag-processor'], resources: sizes.dagProcessor });
  const migrate = new MeshJob(chart, 'db-migrate', {
    ...airflowPod,
    command: ['bash', '-c', 'exec airflow db migrate'],
    backoffLimit: 3,
    ttlSecondsAfterFinished: 300,
  });
  // KubernetesExecutor (and KubernetesPodOperator) pods: Airflow sets their command; the native sidecar lets them finish.
  const taskPods = new TaskPodTemplate(chart, 'airflow-task', { ...airflowPod, resources: sizes.worker });

  // The calls Airflow makes, and no others.
  const execution = { ports: [8080], paths: ['/execution/*'] };
  for (const client of [workers, triggerer, taskPods]) client.connectTo(apiServer, execution);
  apiServer.connectTo(workers, { methods: ['GET'], paths: ['/log/*'] });
  apiServer.connectTo(triggerer, { methods: ['GET'], paths: ['/log/*'] });
  for (const client of [scheduler, workers]) client.connectTo(redis);
  for (const client of [apiServer, scheduler, dagProcessor, triggerer, workers, migrate]) client.connectTo(database);
  if (database instanceof MeshService) {
    // KEDA's postgresql scaler runs in the keda-operator pod, meshed with KEDA's documented port exclusions.
    database.allowFrom(options.kedaIdentity ?? { serviceAccountName: 'keda-operator', namespace: 'keda' }, { ports: [databasePort.port] });
  }

  const gateway = new MeshGateway(chart, 'gateway', {
    mesh,
    name: 'airflow',
    // HTTPS only: port 80 of the shared ingress gateway serves every host for Bookinfo.
    https: {
      hosts: [options.host ?? 'airflow.example.com'],
      credentialName: options.tlsSecret ?? 'airflow-tls',
      ...(options.certificateIssuer ? { certificate: { issuer: options.certificateIssuer } } : {}),
    },
    gatewayIdentity: options.gatewayIdentity,
  });
  gateway.route({ host: options.host ?? 'airflow.example.com', to: apiServer, timeout: '60s' });
}
