import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Testing, type Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type * as pulumiTypes from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { installMocks, settled, valueOf, type RegisteredResource } from '../support/pulumi-mocks.js';
import type { Manifest } from '../support/synth.js';

// Pulumi must be mocked before any resource module is evaluated: everything is imported dynamically.
let registered: RegisteredResource[];
let pulumi: typeof pulumiTypes;
let meshform: typeof import('../../src/pulumi/index.js');
let examples: typeof import('../../examples/bookinfo.js');

beforeAll(async () => {
  registered = await installMocks();
  pulumi = await import('@pulumi/pulumi');
  meshform = await import('../../src/pulumi/index.js');
  examples = await import('../../examples/bookinfo.js');
});

const key = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
  `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const childrenOf = (stack: string) =>
  registered.filter((r) => r.parent.endsWith(`meshform:pulumi:MeshStack::${stack}`));

describe('MeshStack', () => {
  it('registers exactly the objects cdk8s synthesizes, body for body, one resource each', async () => {
    new meshform.MeshStack('equal', { build: (chart) => examples.buildBookinfo(chart) });
    await settled();
    const synthesized = Testing.synth(examples.bookinfo(Testing.app())) as Manifest[];
    const resources = childrenOf('equal');
    expect(resources.map((r) => key(r.inputs)).sort()).toEqual(synthesized.map(key).sort());
    for (const object of synthesized) {
      const resource = resources.find((r) => key(r.inputs) === key(object))!;
      expect(resource.inputs, key(object)).toEqual(object);
    }
  });

  it('registers manually injected workloads and jobs with the same bodies as cdk8s', async () => {
    const { Mesh, MeshJob, MeshService } = await import('../../src/index.js');
    const build = (chart: import('cdk8s').Chart) => {
      const mesh = new Mesh(chart, 'ops', { injection: 'manual' });
      const db = new MeshService(chart, 'db', { mesh, image: 'postgres:16', port: 5432, proxy: { stats: { prefixes: ['cluster.outbound'] } } });
      new MeshJob(chart, 'backup', { mesh, image: 'backup:1', schedule: '0 3 * * *' }).connectTo(db);
    };
    new meshform.MeshStack('manual', { build });
    await settled();
    const chart = new (await import('cdk8s')).Chart(Testing.app(), 'manual');
    build(chart);
    const synthesized = Testing.synth(chart) as Manifest[];
    const resources = childrenOf('manual');
    expect(resources.map((r) => key(r.inputs)).sort()).toEqual(synthesized.map(key).sort());
    for (const object of synthesized) expect(resources.find((r) => key(r.inputs) === key(object))!.inputs).toEqual(object);
    const cronJob = resources.find((r) => r.inputs.kind === 'CronJob')!;
    expect(cronJob.type).toBe('kubernetes:batch/v1:CronJob');
    const proxy = cronJob.inputs.spec.jobTemplate.spec.template.spec.initContainers.find((c: any) => c.name === 'istio-proxy');
    expect(proxy.restartPolicy).toBe('Always');
  });

  it('uses typed resources where @pulumi/kubernetes has the kind and CustomResource for Istio', async () => {
    await settled();
    const typeOf = (kind: string) => childrenOf('equal').find((r) => r.inputs.kind === kind)!.type;
    expect(typeOf('Deployment')).toBe('kubernetes:apps/v1:Deployment');
    expect(typeOf('Service')).toBe('kubernetes:core/v1:Service');
    expect(typeOf('VirtualService')).toBe('kubernetes:networking.istio.io/v1:VirtualService');
    expect(typeOf('PeerAuthentication')).toBe('kubernetes:security.istio.io/v1:PeerAuthentication');
    expect(childrenOf('equal').find((r) => r.inputs.kind === 'Service')!.name).toBe('equal/bookinfo/details');
  });

  it('registers the Namespace first and makes every object in it depend on it', async () => {
    await settled();
    const resources = childrenOf('equal');
    expect(resources[0]!.inputs.kind).toBe('Namespace');
    const namespaceUrn = resources[0]!.urn;
    for (const resource of resources.slice(1)) {
      // Mesh-wide and gateway policy lives in istio-system, which Istio's install creates.
      if (resource.inputs.metadata.namespace === 'istio-system') expect(resource.dependencies, key(resource.inputs)).not.toContain(namespaceUrn);
      else expect(resource.dependencies, key(resource.inputs)).toContain(namespaceUrn);
    }
    expect(resources.filter((r) => r.inputs.metadata.namespace === 'istio-system').map((r) => key(r.inputs))).toEqual([
      'PeerAuthentication istio-system/default',
      'RequestAuthentication istio-system/bookinfo-gateway',
      'AuthorizationPolicy istio-system/bookinfo-gateway-require-jwt',
    ]);
  });

  it('orders Istio custom resources after the base and istiod releases, workloads after istiod', async () => {
    const istio = new meshform.IstioInstall('istio', { version: '1.29.0' });
    new meshform.MeshStack('ordered', { istio, build: (chart) => examples.buildBookinfo(chart) });
    await settled();
    const release = (chart: string) => registered.find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === chart)!;
    const [base, istiod, gateway] = [release('base'), release('istiod'), release('gateway')];
    expect(istiod.dependencies).toContain(base.urn);
    expect(gateway.dependencies).toContain(istiod.urn);
    expect(base.dependencies).toEqual([]);
    for (const resource of childrenOf('ordered')) {
      if (/\.istio\.io\//.test(resource.inputs.apiVersion)) {
        expect(resource.dependencies, key(resource.inputs)).toEqual(expect.arrayContaining([base.urn, istiod.urn]));
      }
      if (resource.inputs.kind === 'Deployment') expect(resource.dependencies).toContain(istiod.urn);
      if (resource.inputs.kind === 'Service') expect(resource.dependencies).not.toContain(base.urn);
    }
    expect(base.inputs).toMatchObject({ chart: 'base', version: '1.29.0', namespace: 'istio-system', skipAwait: false });
    expect(base.inputs.repositoryOpts.repo).toBe(meshform.ISTIO_HELM_REPOSITORY);
    expect(gateway.inputs).toMatchObject({ name: 'istio-ingressgateway', namespace: 'istio-ingress' });
  });

  it("serves every MeshGateway of a stack from its IstioInstall's gateway: its pods, its identity, its namespace", async () => {
    const istio = new meshform.IstioInstall('edge-istio', { gateway: { name: 'edge-gateway', namespace: 'edge' } });
    new meshform.MeshStack('installed', { istio, build: (chart) => examples.buildBookinfo(chart) });
    await settled();
    const resources = childrenOf('installed');
    const find = (kind: string, name: string) => resources.find((r) => r.inputs.kind === kind && r.inputs.metadata.name === name)!.inputs;
    // The chart labels its pods app=<release> and istio=<release without "istio-">.
    expect(find('Gateway', 'bookinfo-gateway').spec.selector).toEqual({ app: 'edge-gateway', istio: 'edge-gateway' });
    const admitted = find('AuthorizationPolicy', 'productpage').spec.rules.flatMap((rule: any) => rule.from.flatMap((from: any) => from.source.principals));
    expect(admitted).toContain('cluster.local/ns/edge/sa/edge-gateway');
    expect(admitted.filter((principal: string) => principal.includes('istio-ingressgateway'))).toEqual([]);
    // The gateway's JWT policies sit beside its pods.
    expect(find('RequestAuthentication', 'bookinfo-gateway').metadata.namespace).toBe('edge');
  });

  it('refuses a gateway identity or selector that contradicts the installed gateway', async () => {
    const { MeshGateway } = await import('../../src/index.js');
    const istio = new meshform.IstioInstall('strict-istio');
    const stack = (name: string, props: Partial<import('../../src/index.js').MeshGatewayProps>) => () =>
      new meshform.MeshStack(name, { istio, build: (chart) => void new MeshGateway(chart, 'edge', { http: { hosts: ['*'] }, ...props }) });
    expect(stack('wrong-identity', { gatewayIdentity: { serviceAccountName: 'istio-ingressgateway-service-account', namespace: 'istio-system' } })).toThrowError(
      /wrong-identity\/edge gatewayIdentity: gatewayIdentity istio-system\/istio-ingressgateway-service-account is not the installed ingress gateway's identity istio-ingress\/istio-ingressgateway/,
    );
    expect(stack('wrong-selector', { selector: { istio: 'egressgateway' } })).toThrowError(/selector istio=egressgateway does not select the installed ingress gateway's pods \(app=istio-ingressgateway, istio=ingressgateway\)/);
    expect(stack('same-identity', { gatewayIdentity: istio.gatewayIdentity })).not.toThrow();
    await settled();
  });

  it('adds the Telemetry backends to the mesh config of istiod, after those in its values', async () => {
    new meshform.IstioInstall('observed', {
      istiodValues: { meshConfig: { accessLogEncoding: 'JSON', extensionProviders: [{ name: 'existing', prometheus: {} }] } },
      extensionProviders: [
        meshform.ExtensionProvider.openTelemetryTracing('otel', { service: 'otel-collector.observability.svc.cluster.local', port: 4317 }),
        meshform.ExtensionProvider.fileAccessLog('errors-log', { format: '[%START_TIME%] %RESPONSE_CODE% %REQ(X-REQUEST-ID)%\n' }),
      ],
      gateway: false,
    });
    await settled();
    const istiod = registered.find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.name === 'observed-istiod')!;
    expect(istiod.inputs.values.meshConfig).toEqual({
      accessLogEncoding: 'JSON',
      extensionProviders: [
        { name: 'existing', prometheus: {} },
        { name: 'otel', opentelemetry: { service: 'otel-collector.observability.svc.cluster.local', port: 4317 } },
        { name: 'errors-log', envoyFileAccessLog: { path: '/dev/stdout', logFormat: { text: '[%START_TIME%] %RESPONSE_CODE% %REQ(X-REQUEST-ID)%\n' } } },
      ],
    });
  });

  it('refuses deprecated provider kinds and a log format without the request id', () => {
    expect(() => meshform.ExtensionProvider.of('ls', 'lightstep', { address: 'lightstep:8080' })).toThrowError(/provider ls is of a deprecated kind \(lightstep\).*OpenTelemetry/);
    expect(() => meshform.ExtensionProvider.fileAccessLog('plain', { format: '%RESPONSE_CODE%\n' })).toThrowError(/fileAccessLog\.format: the log format of provider plain drops the request id/);
  });

  it('deploys the Airflow and NiFi examples, KEDA and Istio kinds as custom resources after Istio', async () => {
    const { buildAirflow, airflow } = await import('../../examples/airflow.js');
    const { buildNifi, nifi } = await import('../../examples/nifi.js');
    const istio = new meshform.IstioInstall('data-istio', { gateway: { name: 'istio-ingressgateway' } });
    const certificateIssuer = { name: 'letsencrypt' };
    new meshform.MeshStack('airflow', { istio, build: (chart) => buildAirflow(chart, { gatewayIdentity: istio.gatewayIdentity, certificateIssuer }) });
    new meshform.MeshStack('nifi', { istio, build: (chart) => buildNifi(chart, { gatewayIdentity: istio.gatewayIdentity, certificateIssuer }) });
    await settled();
    const expected = (example: (scope: Construct) => Chart) => (Testing.synth(example(Testing.app())) as Manifest[]).length;
    expect(childrenOf('airflow')).toHaveLength(expected(airflow));
    expect(childrenOf('nifi')).toHaveLength(expected(nifi));
    const scaled = childrenOf('airflow').find((r) => r.inputs.kind === 'ScaledObject')!;
    expect(scaled.type).toBe('kubernetes:keda.sh/v1alpha1:ScaledObject');
    expect(childrenOf('nifi').find((r) => r.inputs.kind === 'StatefulSet')!.type).toBe('kubernetes:apps/v1:StatefulSet');
    // cert-manager writes the gateway's Secret beside the Helm-installed gateway's pods.
    const certificate = childrenOf('airflow').find((r) => r.inputs.kind === 'Certificate')!;
    expect(certificate.type).toBe('kubernetes:cert-manager.io/v1:Certificate');
    expect(certificate.inputs.metadata.namespace).toBe('istio-ingress');
    // The gateway-side rule goes where the Helm-installed gateway runs.
    expect(childrenOf('nifi').find((r) => r.inputs.kind === 'DestinationRule' && r.inputs.metadata.name === 'nifi-nifi')!.inputs.metadata.namespace).toBe('istio-ingress');
  });

  it('changes only the VirtualService inputs when a weight changes', async () => {
    new meshform.MeshStack('w80', { build: (chart) => examples.buildBookinfo(chart, { reviewsWeights: { v1: 80, v2: 20, v3: 0 } }) });
    new meshform.MeshStack('w50', { build: (chart) => examples.buildBookinfo(chart, { reviewsWeights: { v1: 50, v2: 50, v3: 0 } }) });
    await settled();
    const before = new Map(childrenOf('w80').map((r) => [key(r.inputs), r.inputs]));
    const after = childrenOf('w50');
    expect(after).toHaveLength(before.size);
    const changed = after.filter((r) => JSON.stringify(r.inputs) !== JSON.stringify(before.get(key(r.inputs)))).map((r) => key(r.inputs));
    expect(changed).toEqual(['VirtualService bookinfo/reviews']);
  });

  it('gives one Output the same placeholder each time, and refuses a name made of one', async () => {
    const { MeshGateway, MeshService } = await import('../../src/index.js');
    const host = pulumi.output('shop.example.com');
    // The listener's host and the route's are the same Output: the route is served.
    const build = (chart: Chart, value: (input: pulumiTypes.Input<string>) => string) => {
      const web = new MeshService(chart, 'web', { image: value(pulumi.output('example/web:1')), port: 80 });
      const edge = new MeshGateway(chart, 'edge', { http: { hosts: [value(host)] } });
      edge.route({ host: value(host), to: web });
    };
    // The route's VirtualService is named after its host, which would be the placeholder.
    expect(() => new meshform.MeshStack('output-host', { build: (chart, { value }) => build(chart, value) })).toThrowError(
      /MeshStack output-host: the build names VirtualService default\/edge-.* after a Pulumi Output\. Names of objects/,
    );
    const stack = new meshform.MeshStack('output-image', {
      build: (chart, { value }) => {
        const image = pulumi.output('example/web:2');
        new MeshService(chart, 'a', { image: value(image), port: 80 });
        new MeshService(chart, 'b', { image: value(image), port: 80 });
      },
    });
    await settled();
    type PodSpec = { template: { spec: { containers: { image: string }[] } } };
    const images = ['a-v1', 'b-v1'].map((name) => (stack.manifests.find((m) => m.metadata.name === name)!.spec as PodSpec).template.spec.containers[0]!.image);
    expect(images[0]).toBe(images[1]);
  });

  it('resolves Pulumi Outputs given through the build context', async () => {
    const registry = pulumi.output('registry.example.com/shop');
    const stack = new meshform.MeshStack('outputs', {
      build: (chart, { value }) =>
        examples.buildBookinfo(chart, { image: (component) => value(pulumi.interpolate`${registry}/${component}:2.0`) }),
    });
    await settled();
    const deployment = childrenOf('outputs').find((r) => r.inputs.metadata.name === 'reviews-v2')!;
    expect(deployment.inputs.spec.template.spec.containers[0].image).toBe('registry.example.com/shop/reviews-v2:2.0');
    const resource = stack.resource('Deployment', 'details-v1', 'bookinfo') as unknown as { spec: pulumiTypes.Output<any> };
    expect((await valueOf(resource.spec)).template.spec.containers[0].image).toBe('registry.example.com/shop/details-v1:2.0');
  });

  it('passes the provider and transformations through to every object', async () => {
    const k8s = await import('@pulumi/kubernetes');
    const provider = new k8s.Provider('cluster-b', { kubeconfig: 'unused' });
    new meshform.MeshStack(
      'passthrough',
      { build: (chart) => examples.buildBookinfo(chart) },
      {
        provider,
        transformations: [
          ({ props, opts }) => ({ props: { ...props, metadata: { ...props.metadata, labels: { ...props.metadata?.labels, team: 'books' } } }, opts }),
        ],
      },
    );
    await settled();
    const children = childrenOf('passthrough');
    expect(children.length).toBeGreaterThan(20);
    for (const child of children) {
      expect(child.provider, key(child.inputs)).toMatch(/::cluster-b::/);
      expect(child.inputs.metadata.labels.team).toBe('books');
    }
  });

  it('refuses an object registered twice and names a missing one', async () => {
    const { k8s } = await import('cdk8s-plus-27');
    expect(
      () =>
        new meshform.MeshStack('twice', {
          build: (chart) => {
            const other = new (chart.constructor as typeof import('cdk8s').Chart)(chart, 'again');
            for (const scope of [chart, other]) new k8s.KubeServiceAccount(scope, 'sa', { metadata: { name: 'robot', namespace: 'ops' } });
          },
        }),
    ).toThrowError(/MeshStack twice: the build creates ServiceAccount ops\/robot twice/);
    const stack = new meshform.MeshStack('lookup', { build: (chart) => examples.buildBookinfo(chart) });
    expect(() => stack.resource('VirtualService', 'nope', 'bookinfo')).toThrowError(/this stack has no VirtualService bookinfo\/nope/);
  });
});

describe('Pulumi secrets', () => {
  // In its own process: the refusal is an unhandled rejection, as `pulumi up` reports it.
  it('are refused wherever they would be written in plain text (a task pod template, an env value), and kept in Secrets', () => {
    const program = fileURLToPath(new URL('./programs/secret-values.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', program], { encoding: 'utf8', timeout: 60_000 });
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { refusals: string[]; registered: string[]; leaked: string[] };
    expect(result.leaked).toEqual([]);
    expect(result.refusals).toEqual([
      expect.stringContaining('MeshStack secrets: a Pulumi secret would be written in plain text into ConfigMap etl/task at data.pod_template_file.yaml. Keep secrets in a Kubernetes Secret'),
      expect.stringContaining('into Deployment etl/api-v1 at spec.template.spec.containers[0].env[0].value.'),
    ]);
    expect(result.registered).toContain('Secret db');
    expect(result.registered).toContain('Deployment web-v1');
    expect(result.registered).not.toContain('ConfigMap task');
    expect(result.registered).not.toContain('Deployment api-v1');
    expect(run.stdout).not.toContain('hunter2');
    expect(run.stderr).not.toContain('hunter2');
  });
});
