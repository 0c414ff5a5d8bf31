import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaIssues } from '../../imports/index.js';
import {
  analyze,
  CanaryService,
  EgressGateway,
  ExternalService,
  HealthCheck,
  Mesh,
  MeshformError,
  MeshGateway,
  MeshJob,
  MeshService,
  MeshWorker,
  ServicePort,
  TaskPodTemplate,
} from '../../src/index.js';
import { PROP_SCHEMA_DEFINITIONS } from '../../src/constructs/validation/prop-schemas.js';
import { kubernetesApiViolations } from '../support/kubernetes-api-rules.js';
import type { Manifest } from '../support/synth.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const image = 'registry.example.com/shop/app:1.0';

type Props = Record<string, unknown>;

/** A construct with valid props, and how the fuzz builds it with the props it is given. */
interface Scenario {
  readonly type: string;
  readonly props: (chart: Chart) => Props;
  readonly build: (chart: Chart, props: Props) => void;
}

const mesh = (chart: Chart) => new Mesh(chart, 'mesh', { namespace: 'shop' });
const SCENARIOS: Readonly<Record<string, Scenario>> = {
  MeshService: {
    type: 'MeshServiceProps',
    props: (chart) => ({
      mesh: mesh(chart),
      image,
      port: 8080,
      replicas: 2,
      env: { MODE: 'live' },
      secretEnv: { TOKEN: { secret: 'app-secrets', key: 'token' } },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      readiness: HealthCheck.http('/ready'),
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      proxy: { resources: { cpu: '50m', memory: '64Mi' }, excludeOutboundPorts: [5432] },
      fsGroup: 1000,
      runAsUser: 1000,
      files: [{ name: 'config', mountPath: '/etc/app', configMap: 'app-config' }],
    }),
    build: (chart, props) => new MeshService(chart, 'api', props as never),
  },
  CanaryService: {
    type: 'CanaryServiceProps',
    props: (chart) => ({
      mesh: mesh(chart),
      port: 80,
      versions: [
        { name: 'v1', image, weight: 90 },
        { name: 'v2', image, weight: 10, pinnedBy: { 'x-canary': 'v2' } },
      ],
      retries: { attempts: 2 },
    }),
    build: (chart, props) => new CanaryService(chart, 'reviews', props as never),
  },
  MeshGateway: {
    type: 'MeshGatewayProps',
    props: (chart) => ({
      mesh: mesh(chart),
      http: { hosts: ['shop.example.com'] },
      https: { hosts: ['shop.example.com'], credentialName: 'shop-tls', certificate: { issuer: { name: 'letsencrypt' } } },
      deployment: { replicas: 2 },
    }),
    build: (chart, props) => {
      const gateway = new MeshGateway(chart, 'edge', props as never);
      const web = new MeshService(chart, 'web', { mesh: (chart.node.tryFindChild('mesh') as Mesh | undefined) ?? mesh(chart), image, port: 80 });
      gateway.route({ host: 'shop.example.com', to: web });
    },
  },
  'MeshGateway.route': {
    type: 'GatewayRouteOptions',
    props: (chart) => ({ host: 'shop.example.com', to: new MeshService(chart, 'web', { mesh: mesh(chart), image, port: 80 }), path: '/api', timeout: '5s' }),
    build: (chart, props) => {
      const web = chart.node.findChild('web') as MeshService;
      new MeshGateway(chart, 'edge', { mesh: web.node.scope!.node.findChild('mesh') as Mesh, http: { hosts: ['shop.example.com'] }, deployment: {} }).route(props as never);
    },
  },
  Mesh: {
    type: 'MeshProps',
    props: () => ({ namespace: 'shop', injection: 'auto', mtls: 'STRICT', revision: 'canary', scopeSidecars: true, nativeSidecars: true }),
    build: (chart, props) => {
      const namespace = new Mesh(chart, 'mesh', props as never);
      new MeshService(chart, 'api', { mesh: namespace, image, port: 80 });
    },
  },
  MeshJob: {
    type: 'MeshJobProps',
    props: (chart) => ({ mesh: mesh(chart), image, command: ['backup', '--all'], schedule: '0 3 * * *', activeDeadlineSeconds: 600 }),
    build: (chart, props) => new MeshJob(chart, 'backup', props as never),
  },
  MeshWorker: {
    type: 'MeshWorkerProps',
    props: (chart) => ({ mesh: mesh(chart), image, replicas: 1, args: ['--queue', 'orders'], terminationGracePeriodSeconds: 60 }),
    build: (chart, props) => new MeshWorker(chart, 'consumer', props as never),
  },
  TaskPodTemplate: {
    type: 'TaskPodTemplateProps',
    props: (chart) => ({ mesh: mesh(chart), image, env: { AIRFLOW_HOME: '/opt/airflow' }, runAsUser: 50000 }),
    build: (chart, props) => new TaskPodTemplate(chart, 'task', props as never),
  },
  ExternalService: {
    type: 'ExternalServiceProps',
    props: (chart) => ({ mesh: mesh(chart), host: 'db.example.com', ports: [ServicePort.tcp(5432)], resolution: 'DNS' }),
    build: (chart, props) => new ExternalService(chart, 'db', props as never),
  },
  EgressGateway: {
    type: 'EgressGatewayProps',
    props: (chart) => ({ mesh: mesh(chart), host: 'api.partner.example.com', mode: 'passthrough' }),
    build: (chart, props) => new EgressGateway(chart, 'partner', props as never),
  },
};

/** Values of every JSON type, and the strings and numbers that are near misses of real ones. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -1, 1.5, NaN, Infinity, 65536, 15006, 15021, 1337, 2 ** 31),
  fc.constantFrom('', ' ', 'A B', '1BAD', 'A=B', '-5Gi', 'abc', 'UPPER', '*', '..', 'x'.repeat(300), 'has space/key', 'sh', '/', 'GET', 'get'),
  fc.integer(),
  fc.string({ maxLength: 12 }),
  fc.array(fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('', 'a', 'A B', '1BAD', 'x-y', 'name'), fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null)), { maxKeys: 2 }),
);

/** Values of the same type as `original` that are near misses: what the types allow and the API may not. */
function nearMiss(original: unknown): fc.Arbitrary<unknown> {
  if (typeof original === 'string') {
    return fc.constantFrom('', ' ', 'A B', '1BAD', 'A=B', 'UPPER', '-1', '-5Gi', 'x'.repeat(300), '*', '..', '/', 'a/b', `${original} `, original.toUpperCase(), `${original}.`, '15021', 'GET');
  }
  if (typeof original === 'number') return fc.constantFrom(-1, 0, 1.5, NaN, Infinity, 65536, 15006, 15021, 15090, 1337, 2 ** 31, Number.MAX_SAFE_INTEGER);
  if (typeof original === 'boolean') return fc.boolean();
  if (Array.isArray(original)) return fc.constantFrom([], [null], [...original, ...original], original.slice(1));
  if (original !== null && typeof original === 'object' && Object.getPrototypeOf(original) === Object.prototype) {
    return fc.constantFrom({}, { ...original, 'A B': 'x' }, { ...original, '': '' }, { ...original, '1BAD': 1 });
  }
  return junk;
}

/** Paths of the props (to depth 4), with the props interface's own fields besides the given ones. */
function pathsOf(value: unknown, type: string): string[][] {
  const paths: string[][] = [];
  const walk = (node: unknown, path: string[]) => {
    if (path.length > 0) paths.push(path);
    if (path.length >= 4 || node === null || typeof node !== 'object' || !(Object.getPrototypeOf(node) === Object.prototype || Array.isArray(node))) return;
    for (const key of Object.keys(node)) walk((node as Props)[key], [...path, key]);
  };
  walk(value, []);
  const declared = Object.keys((PROP_SCHEMA_DEFINITIONS[type] as { properties?: Props }).properties ?? {});
  for (const key of declared) if (!paths.some((path) => path.length === 1 && path[0] === key)) paths.push([key]);
  return paths;
}

/** A copy of `props` with the value at `path` replaced (or deleted when `value` is the `DELETE` marker). */
const DELETE = Symbol('delete');
function mutate(props: Props, path: string[], value: unknown): Props {
  const copy = (node: unknown, depth: number): unknown => {
    const key = path[depth]!;
    const container = Array.isArray(node) ? [...node] : node !== null && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype ? { ...(node as Props) } : {};
    const target = container as Record<string, unknown>;
    if (depth === path.length - 1) {
      if (value === DELETE) delete target[key];
      else target[key] = value;
    } else target[key] = copy(target[key], depth + 1);
    return container;
  };
  return copy(props, 0) as Props;
}

/** Everything that would reject the synthesized objects: the schemas, Kubernetes' own rules, and the analyzer at Error. */
function rejections(objects: Manifest[]): string[] {
  const problems: string[] = [];
  const all = [...objects];
  // Task pod templates are pods in a ConfigMap's file: judged as pods.
  for (const object of objects) {
    for (const [file, text] of Object.entries<string>(object.kind === 'ConfigMap' ? (object.data ?? {}) : {})) {
      const document = file.endsWith('.yaml') ? parse(text) : undefined;
      if (document?.kind === 'Pod') all.push(document);
    }
  }
  for (const object of all) {
    for (const issue of schemaIssues(object) ?? []) problems.push(`${object.kind} ${object.metadata?.name} ${issue.path}: ${issue.message}`);
    problems.push(...kubernetesApiViolations(object));
  }
  for (const diagnostic of analyze(objects as never)) {
    // A listener's Secret may come from outside the program (a vault, a copy job): its absence is
    // the analyzer's to report, not a fault of the objects.
    if (diagnostic.level === 'Error' && !diagnostic.message.includes('credentialName not found')) problems.push(`${diagnostic.code} ${diagnostic.origin}: ${diagnostic.message}`);
  }
  return problems;
}

describe('construct fuzz: invalid, wrong-typed and missing props', () => {
  let runs = 0;
  let synthesized = 0;
  it.each(Object.keys(SCENARIOS))('%s ends in a MeshformError or in objects nothing rejects', (name) => {
    const scenario = SCENARIOS[name]!;
    const probe = new Chart(Testing.app(), 'probe');
    const base = scenario.props(probe);
    const paths = pathsOf(base, scenario.type);
    const at = (path: string[]) => path.reduce<unknown>((node, key) => (node as Props | undefined)?.[key], base);
    const change = fc.constantFrom(...paths).chain((path) =>
      fc.record({
        path: fc.constant(path),
        value: fc.oneof({ weight: 3, arbitrary: junk }, { weight: 4, arbitrary: nearMiss(at(path)) }, { weight: 1, arbitrary: fc.constant(DELETE) }),
      }),
    );
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
        runs++;
        const chart = new Chart(Testing.app(), 'fuzz');
        let objects: Manifest[] | undefined;
        try {
          const props = changes.reduce((current, { path, value }) => mutate(current, path, value), scenario.props(chart));
          scenario.build(chart, props);
          objects = Testing.synth(chart) as Manifest[];
        } catch (error) {
          if (!(error instanceof MeshformError)) throw new Error(`${name} ${JSON.stringify(changes, (_k, v) => (v === DELETE ? '<deleted>' : v === undefined ? '<undefined>' : typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype ? `<${v.constructor.name}>` : v))}: ${String(error)}\n${(error as Error).stack?.split('\n').slice(1, 4).join('\n')}`);
          expect(error.message.length).toBeLessThan(2000);
          return;
        }
        synthesized++;
        expect(rejections(objects)).toEqual([]);
      }),
      { numRuns: Math.max(20, Math.round((RUNS * 4.4) / Object.keys(SCENARIOS).length)) },
    );
  });

  it('ran at least 4,000 prop sets, some of which synthesized', () => {
    expect(runs).toBeGreaterThanOrEqual(Math.min(4000, RUNS * 4));
    // Enough of them synthesize for the judgement of the output to mean something.
    expect(synthesized).toBeGreaterThan(runs * 0.05);
  });
});
