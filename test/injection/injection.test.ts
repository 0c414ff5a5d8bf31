import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { canonicalQuantity, injectObject, injectObjects, protoDuration, proxyConfigJson, skipReason } from '../../src/injection/index.js';
import { binary, cli, tempFiles } from '../support/cli.js';

const deployment = (extra: { labels?: object; annotations?: object; spec?: object } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', ...extra.labels }, annotations: { ...extra.annotations } },
      spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }], ...extra.spec },
    },
  },
});
const names = (list: any[] | undefined) => (list ?? []).map((c) => c.name);

describe('injection', () => {
  it('adds the native sidecar by default and the classic layout on request', () => {
    const native = injectObject(deployment()) as any;
    expect(names(native.spec.template.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
    const classic = injectObject(deployment(), { nativeSidecars: false }) as any;
    expect(names(classic.spec.template.spec.containers)).toEqual(['web', 'istio-proxy']);
    expect(names(classic.spec.template.spec.initContainers)).toEqual(['istio-init']);
  });

  it('never injects twice: an injected pod passes through unchanged', () => {
    const once = injectObject(deployment());
    expect(injectObject(once)).toEqual(once);
  });

  it('leaves pods alone that opt out, use the host network or live in kube-system, and passes other kinds through', () => {
    expect(skipReason({ labels: { 'sidecar.istio.io/inject': 'false' } }, {}, 'shop')).toMatch(/disabled/);
    expect(skipReason({}, { hostNetwork: true }, 'shop')).toMatch(/host network/);
    expect(skipReason({}, {}, 'kube-system')).toMatch(/never injects/);
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } };
    expect(injectObjects([service])).toEqual([service]);
    const skipped = injectObject(deployment({ labels: { 'sidecar.istio.io/inject': 'false' } })) as any;
    expect(names(skipped.spec.template.spec.initContainers)).toEqual([]);
  });

  it('honours per-pod annotations: resources, log level, traffic capture, proxy config', () => {
    const injected = injectObject(
      deployment({
        annotations: {
          'sidecar.istio.io/proxyCPU': '250m',
          'sidecar.istio.io/proxyMemoryLimit': '512Mi',
          'sidecar.istio.io/logLevel': 'debug',
          'traffic.sidecar.istio.io/excludeOutboundPorts': '5432',
          'proxy.istio.io/config': '{"proxyStatsMatcher":{"inclusionSuffixes":["upstream_cx_active"]}}',
        },
      }),
    ) as any;
    const [init, proxy] = injected.spec.template.spec.initContainers;
    expect(proxy.resources).toEqual({ limits: { memory: '512Mi' }, requests: { cpu: '250m' } });
    expect(proxy.args).toContain('--proxyLogLevel=debug');
    expect(init.args.slice(-3)).toEqual(['-o', '5432', '--log_output_level=default:info']);
    expect(proxy.env.find((e: any) => e.name === 'PROXY_CONFIG').value).toBe('{"proxyStatsMatcher":{"inclusionSuffixes":["upstream_cx_active"]}}\n');
  });

  it('points HTTP probes at pilot-agent and keeps the originals for it', () => {
    const injected = injectObject(
      deployment({ spec: { containers: [{ name: 'web', image: 'web:1', readinessProbe: { httpGet: { path: '/ready', port: 8080 } } }] } }),
    ) as any;
    expect(injected.spec.template.spec.containers[0].readinessProbe).toEqual({ httpGet: { path: '/app-health/web/readyz', port: 15020 } });
    const proxy = injected.spec.template.spec.initContainers[1];
    expect(JSON.parse(proxy.env.find((e: any) => e.name === 'ISTIO_KUBE_APP_PROBERS').value)).toEqual({
      '/app-health/web/readyz': { httpGet: { path: '/ready', port: 8080 } },
    });
  });

  it('writes PROXY_CONFIG as protobuf JSON: proto field order, durations in seconds', () => {
    expect(proxyConfigJson({ tracing: { sampling: 1 }, concurrency: 2, drainDuration: '1m', holdApplicationUntilProxyStarts: true })).toBe(
      '{"drainDuration":"60s","concurrency":2,"tracing":{"sampling":1},"holdApplicationUntilProxyStarts":true}',
    );
    expect(['10s', '1m30s', '500ms', '250us'].map(protoDuration)).toEqual(['10s', '90s', '0.500s', '0.000250s']);
  });

  it('forwards gRPC probes with their service, as Go writes them', () => {
    const injected = injectObject(deployment({ spec: { containers: [{ name: 'web', image: 'web:1', livenessProbe: { grpc: { port: 9090 } } }] } })) as any;
    const proxy = injected.spec.template.spec.initContainers[1];
    expect(proxy.env.find((e: any) => e.name === 'ISTIO_KUBE_APP_PROBERS').value).toBe('{"/app-health/web/livez":{"grpc":{"port":9090,"service":null}}}');
    expect(injected.spec.template.spec.containers[0].livenessProbe).toEqual({ httpGet: { path: '/app-health/web/livez', port: 15020 } });
  });

  it('names the Deployment behind a ReplicaSet-owned pod as its workload', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-7c9f-abcde',
        namespace: 'shop',
        labels: { 'pod-template-hash': '7c9f' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7c9f', controller: true }],
      },
      spec: { containers: [{ name: 'web', image: 'web:1' }] },
    };
    const proxy = (injectObject(pod) as any).spec.initContainers[1];
    const env = (name: string) => proxy.env.find((e: any) => e.name === name).value;
    expect(env('ISTIO_META_OWNER')).toBe('kubernetes://apis/apps/v1/namespaces/shop/deployments/web');
    expect(env('ISTIO_META_WORKLOAD_NAME')).toBe('web');
  });

  it('writes quantities as the API server does', () => {
    expect(['2000m', '1024Mi', '0.5', '1500m', '1.5Gi'].map(canonicalQuantity)).toEqual(['2', '1Gi', '500m', '1500m', '1536Mi']);
  });
});

describe('meshform inject', () => {
  const input = [deployment(), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80, name: 'http' }] } }]
    .map((d) => JSON.stringify(d))
    .join('\n---\n');

  it('writes every document, workloads injected, others untouched', async () => {
    const dir = tempFiles({ 'app.yaml': input });
    const result = await cli('inject', '-f', join(dir, 'app.yaml'));
    expect(result.code).toBe(0);
    const docs = parseAllDocuments(result.stdout).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service']);
    expect(names(docs[0].spec.template.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
    expect(docs[1]).toEqual(JSON.parse(input.split('\n---\n')[1]!));
  });

  it('takes --native-sidecars=false, --values and --mesh-config, and writes to -o', async () => {
    const dir = tempFiles({
      'app.yaml': input,
      'values.yaml': 'global:\n  hub: registry.example.com/istio\n  tag: 1.29.1\n',
      'mesh.yaml': 'trustDomain: corp.example\n',
    });
    const out = join(dir, 'out.yaml');
    const result = await cli('inject', '-f', join(dir, 'app.yaml'), '--native-sidecars=false', '--values', join(dir, 'values.yaml'), '--mesh-config', join(dir, 'mesh.yaml'), '-o', out);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const injected = parse((await import('node:fs')).readFileSync(out, 'utf8').split('---\n')[0]!);
    const proxy = injected.spec.template.spec.containers.find((c: any) => c.name === 'istio-proxy');
    expect(proxy.image).toBe('registry.example.com/istio/proxyv2:1.29.1');
    expect(proxy.env.find((e: any) => e.name === 'TRUST_DOMAIN').value).toBe('corp.example');
  });

  it('reads standard input with -f -', async () => {
    const { runCli } = await import('../../src/cli/main.js');
    let stdout = '';
    const code = await runCli(['inject', '-f', '-'], { stdout: (t) => (stdout += t), stderr: () => {} }, () => input);
    expect(code).toBe(0);
    expect(stdout).toContain('name: istio-proxy');
  });

  it('exits 1 with a reason on unreadable input or a bad flag', async () => {
    expect((await cli('inject', '-f', 'missing.yaml')).stderr).toMatch(/cannot read missing\.yaml/);
    expect((await cli('inject', '-f', 'missing.yaml', '--native-sidecars=maybe')).code).toBe(1);
    const dir = tempFiles({ 'bad.yaml': 'kind: Pod\nspec: [\n', 'tpl.yaml': JSON.stringify(deployment({ annotations: { 'inject.istio.io/templates': 'nope' } })) });
    expect((await cli('inject', '-f', join(dir, 'bad.yaml'))).stderr).toMatch(/bad\.yaml:\d+ is not valid YAML/);
    expect((await cli('inject', '-f', join(dir, 'tpl.yaml'))).stderr).toMatch(/there is no injection template "nope". Templates are: sidecar, gateway, grpc-agent, grpc-simple/);
  });

  it('runs as the installed binary', () => {
    const dir = tempFiles({ 'app.yaml': input });
    const result = binary('inject', '-f', join(dir, 'app.yaml'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('restartPolicy: Always');
  });
});
