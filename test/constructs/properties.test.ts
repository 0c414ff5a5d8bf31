import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaIssues } from '../../imports/index.js';
import { analyze } from '../../src/analysis/index.js';
import {
  Autoscaling,
  CanaryService,
  ExternalService,
  HealthCheck,
  MeshDefaults,
  MeshWorker,
  TaskPodTemplate,
  TracingTag,
  Mesh,
  MeshformError,
  MeshGateway,
  MeshJob,
  MeshService,
  ServicePort,
  type InjectionMode,
} from '../../src/index.js';
import type { KubeObject } from '../../src/core/index.js';

/** How many cases each property ran, printed at the end so that CI shows the work done. */
const counts = new Map<string, number>();
const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
afterAll(() => console.log(`property runs: ${[...counts].map(([name, n]) => `${name} ${n}`).join(', ')}`));

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

// --- valid props -------------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const injection = fc.constantFrom<InjectionMode>('auto', 'manual', 'disabled');
const image = fc.stringMatching(/^[a-z]{1,8}\.example\.com\/[a-z]{1,8}:[0-9]{1,3}$/);
const reserved = new Set([15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090]);
const port = fc.integer({ min: 1, max: 65535 }).filter((p) => !reserved.has(p));
const duration = fc.oneof(fc.integer({ min: 1, max: 600_000 }), fc.constantFrom('1s', '250ms', '1m30s', '2h'));

/** Whole weights that add up to 100, one per version. */
const weights = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), 100];
    return points.slice(1).map((point, i) => point - points[i]!);
  }),
);

const meshProps = fc.record({ injection, nativeSidecars: fc.boolean(), scopeSidecars: fc.boolean(), mtls: fc.constantFrom('STRICT' as const, 'PERMISSIVE' as const) });

const workload = fc.record({
  port,
  replicas: fc.integer({ min: 0, max: 5 }),
  env: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
  readiness: fc.option(fc.constantFrom(HealthCheck.http('/ready'), HealthCheck.tcp({ periodSeconds: 5 })), { nil: undefined }),
  injection: fc.option(injection, { nil: undefined }),
});

/** Synthesizes a chart and checks what a valid program must give: schema-valid objects, no Error. */
function synthesizeClean(build: (chart: Chart) => void): KubeObject[] {
  const chart = new Chart(Testing.app(), 'prop');
  build(chart);
  const objects = Testing.synth(chart) as KubeObject[];
  for (const object of objects) expect(schemaIssues(object) ?? [], `${object.kind} ${object.metadata?.name}`).toEqual([]);
  const errors = analyze(objects, { exclude: ['gateway.SecretAnalyzer'] }).filter((d) => d.level === 'Error');
  expect(errors).toEqual([]);
  return objects;
}

describe('valid props synthesize schema-valid objects that analyze without Error', () => {
  it('Mesh, MeshService, CanaryService, MeshGateway and MeshJob together', () => {
    fc.assert(
      fc.property(meshProps, fc.uniqueArray(label, { minLength: 1, maxLength: 4 }), workload, weights, duration, fc.integer({ min: 1, max: 5 }), image, (mesh, names, props, split, timeout, attempts, img) => {
        count('valid meshes');
        synthesizeClean((chart) => {
          const m = new Mesh(chart, 'shop', mesh);
          const [first, ...rest] = names;
          const web = new MeshService(chart, `svc-${first}`, { mesh: m, image: img, ...props });
          const canaries = rest.map(
            (name) =>
              new CanaryService(chart, `canary-${name}`, {
                mesh: m,
                port: ServicePort.grpc(props.port, { suffix: 'api' }),
                timeout,
                retries: { attempts, perTryTimeout: '1s' },
                versions: split.map((weight, i) => ({ name: `v${i + 1}`, image: img, weight })),
              }),
          );
          for (const canary of canaries) web.connectTo(canary);
          const gateway = new MeshGateway(chart, 'edge', { mesh: m, http: { hosts: ['*.example.com'], httpsRedirect: false } });
          gateway.route({ host: `${first}.example.com`, to: web, timeout });
          new MeshJob(chart, 'job', { mesh: m, image: img, command: ['run'], schedule: '0 3 * * *' }).connectTo(web);
        });
      }),
      { numRuns: RUNS },
    );
  });
});

const dataPlatform = fc.record({
  replicas: fc.integer({ min: 1, max: 5 }),
  stateful: fc.boolean(),
  autoscaler: fc.constantFrom('cpu', 'keda', 'none'),
  maxReplicas: fc.integer({ min: 5, max: 50 }),
  sampling: fc.double({ min: 0, max: 100, noNaN: true }),
  plainPort: fc.constantFrom('PERMISSIVE' as const, 'DISABLE' as const),
  grace: fc.integer({ min: 0, max: 3600 }),
  paths: fc.uniqueArray(fc.stringMatching(/^\/[a-z]{1,8}(\/\*)?$/), { minLength: 1, maxLength: 3 }),
  spread: fc.constantFrom('hostname' as const, 'zone' as const),
});

describe('valid data-platform props synthesize schema-valid objects that analyze without Error', () => {
  it('stateful and autoscaled services, workers, task pods, external services, JWT and Telemetry together', () => {
    fc.assert(
      fc.property(meshProps, dataPlatform, image, (mesh, props, img) => {
        count('valid data platforms');
        synthesizeClean((chart) => {
          new MeshDefaults(chart, 'defaults', { telemetry: { tracing: { randomSamplingPercentage: props.sampling, customTags: { pod: TracingTag.environment('POD_NAME') } } } });
          const m = new Mesh(chart, 'data', { ...mesh, nativeSidecars: true, telemetry: { accessLogging: { filter: 'response.code >= 500' } } });
          const autoscaling =
            props.autoscaler === 'cpu'
              ? Autoscaling.cpu({ maxReplicas: props.maxReplicas, container: 'db' })
              : props.autoscaler === 'keda'
                ? Autoscaling.keda({ maxReplicas: props.maxReplicas, triggers: [{ type: 'cpu', metadata: { value: '60' } }] })
                : undefined;
          const db = new MeshService(chart, 'db', {
            mesh: m,
            image: img,
            ports: [ServicePort.http(8080, { suffix: 'api' }), ServicePort.tcp(9000, { suffix: 'metrics' })],
            ...(autoscaling ? { autoscaling } : { replicas: props.replicas }),
            ...(props.stateful ? { stateful: { volumeClaims: [{ name: 'data', mountPath: '/data', storage: '1Gi' }] } } : {}),
            mtls: { portLevelMtls: { 9000: props.plainPort } },
            disruptionBudget: { maxUnavailable: 1 },
            terminationGracePeriodSeconds: props.grace,
            topologySpread: { across: props.spread },
            secretEnv: { PASSWORD: { secret: 'db', key: 'password' } },
          });
          const worker = new MeshWorker(chart, 'worker', { mesh: m, image: img, kubernetesApiAccess: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
          worker.connectTo(db, { ports: [8080], paths: props.paths, methods: ['GET'] });
          worker.connectTo(new ExternalService(chart, 'queue', { mesh: m, host: 'queue.example.com', ports: [ServicePort.tcp(5672)] }));
          new TaskPodTemplate(chart, 'tasks', { mesh: m, image: img }).connectTo(db);
          const gateway = new MeshGateway(chart, 'edge', { mesh: m, http: { hosts: ['db.example.com'] } });
          gateway.route({ host: 'db.example.com', to: db });
          gateway.requireJwt({ issuer: 'https://auth.example.com/', jwksUri: 'https://auth.example.com/jwks', paths: props.paths });
        });
      }),
      { numRuns: Math.max(1, Math.floor(RUNS / 2)) },
    );
  });
});

// --- invalid props -----------------------------------------------------------------------------

/** What a bad value is given to, and the field the MeshformError must name. */
const faults = fc.oneof(
  fc.record({ field: fc.constant('name'), value: fc.oneof(fc.stringMatching(/^[A-Z_][A-Za-z_]{0,6}$/), fc.constant(''), fc.constant('a'.repeat(64)), fc.constant('-a')) }),
  fc.record({ field: fc.constant('port'), value: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.double({ min: 1.01, max: 100, noInteger: true })) }),
  fc.record({ field: fc.constant('weight'), value: fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 101 }), fc.double({ min: 0.01, max: 99.9, noInteger: true })) }),
  fc.record({ field: fc.constant('timeout'), value: fc.oneof(fc.constantFrom('2 seconds', '1d', 'soon', '-1s'), fc.integer({ max: -1 })) }),
  fc.record({ field: fc.constant('host'), value: fc.constantFrom('', ' ') }),
  fc.record({ field: fc.constant('replicas'), value: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9, noInteger: true })) }),
  fc.record({ field: fc.constant('randomSamplingPercentage'), value: fc.oneof(fc.double({ min: 100.01, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: -0.01, noNaN: true })) }),
  fc.record({ field: fc.constant('jwksUri'), value: fc.constantFrom('http://auth.example.com/jwks', 'auth.example.com/jwks', 'ftp://auth.example.com/jwks') }),
  fc.record({ field: fc.constant('maxUnavailable'), value: fc.oneof(fc.integer({ max: -1 }), fc.constantFrom('101%', 'half', '')) }),
);

function buildWithFault({ field, value }: { field: string; value: unknown }): (chart: Chart) => void {
  const img = 'example.com/app:1';
  switch (field) {
    case 'name':
      return (chart) => new MeshService(chart, 'svc', { name: value as string, image: img, port: 80 });
    case 'port':
      return (chart) => new MeshService(chart, 'svc', { image: img, port: value as number });
    case 'weight':
      return (chart) => new CanaryService(chart, 'svc', { port: 80, versions: [{ name: 'v1', image: img, weight: value as number }, { name: 'v2', image: img, weight: 100 - (value as number) }] });
    case 'timeout':
      return (chart) => new CanaryService(chart, 'svc', { port: 80, timeout: value as string, versions: [{ name: 'v1', image: img, weight: 100 }] });
    case 'host':
      return (chart) => new MeshGateway(chart, 'edge', { http: { hosts: [value as string] } });
    case 'randomSamplingPercentage':
      return (chart) => new MeshService(chart, 'svc', { image: img, port: 80, telemetry: { tracing: { randomSamplingPercentage: value as number } } });
    case 'jwksUri':
      return (chart) => new MeshGateway(chart, 'edge', { http: { hosts: ['*'] } }).requireJwt({ issuer: 'https://auth.example.com/', jwksUri: value as string });
    case 'maxUnavailable':
      return (chart) => new MeshService(chart, 'svc', { image: img, port: 80, disruptionBudget: { maxUnavailable: value as number } });
    default:
      return (chart) => new MeshService(chart, 'svc', { image: img, port: 80, replicas: value as number });
  }
}

describe('invalid props', () => {
  it('give a MeshformError that names the field — never another exception, never output', () => {
    fc.assert(
      fc.property(faults, (fault) => {
        count('invalid props');
        const chart = new Chart(Testing.app(), 'prop');
        let error: unknown;
        let output: unknown;
        try {
          buildWithFault(fault)(chart);
          output = Testing.synth(chart);
        } catch (caught) {
          error = caught;
        }
        expect(output).toBeUndefined();
        expect(error).toBeInstanceOf(MeshformError);
        expect(`${(error as MeshformError).field} ${(error as MeshformError).message}`).toContain(fault.field);
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
