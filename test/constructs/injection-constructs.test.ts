import { describe, expect, it } from 'vitest';
import { schemaIssues } from '../../imports/index.js';
import { CanaryService, Mesh, MeshformError, MeshJob, MeshService } from '../../src/index.js';
import { PROXY_QUIT_URL } from '../../src/constructs/index.js';
import { find, synth, type Manifest } from '../support/synth.js';

const image = 'example.com/app:1.0';
const proxyOf = (pod: any) => [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c: any) => c.name === 'istio-proxy');
const envOf = (container: any, name: string) => container.env.find((e: any) => e.name === name)?.value;

describe('automatic injection', () => {
  it('labels the pod template, not the Deployment, and names the revision', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'shop', { revision: 'canary' });
      new MeshService(chart, 'web', { mesh, image, port: 80 });
    });
    const deployment = find(objects, 'Deployment', 'web-v1');
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'sidecar.istio.io/inject': 'true', 'istio.io/rev': 'canary' });
    expect(deployment.metadata.labels).not.toHaveProperty('sidecar.istio.io/inject');
    expect(proxyOf(deployment.spec.template)).toBeUndefined();
  });

  it('turns a workload off with injection: disabled', () => {
    const objects = synth((chart) => new MeshService(chart, 'legacy', { mesh: new Mesh(chart, 'shop'), image, port: 80, injection: 'disabled', proxy: { logLevel: 'debug' } }));
    const template = find(objects, 'Deployment', 'legacy-v1').spec.template;
    expect(template.metadata.labels['sidecar.istio.io/inject']).toBe('false');
    expect(template.metadata.annotations).toBeUndefined();
    // Without a sidecar the pods cannot take Istio's mutual TLS: callers send plain text.
    expect(find(objects, 'DestinationRule', 'legacy').spec.trafficPolicy.tls).toEqual({ mode: 'DISABLE' });
  });

  it('writes the proxy settings as the annotations Istio reads, chosen stats in proxy.istio.io/config', () => {
    const objects = synth((chart) =>
      new MeshService(chart, 'web', {
        image,
        port: 80,
        proxy: {
          resources: { cpu: '50m', memory: '64Mi', memoryLimit: '256Mi' },
          logLevel: 'info',
          concurrency: 1,
          drainDuration: 20_000,
          stats: { prefixes: ['cluster.outbound', 'http.inbound'], regexps: ['.*upstream_rq_retry.*'] },
          tracingSampling: 5,
          excludeOutboundPorts: [5432],
          excludeOutboundIPRanges: ['169.254.169.254/32'],
          holdApplicationUntilProxyStarts: true,
        },
      }),
    );
    const annotations = find(objects, 'Deployment', 'web-v1').spec.template.metadata.annotations;
    expect(annotations).toEqual({
      'proxy.istio.io/config':
        '{"concurrency":1,"drainDuration":"20s","holdApplicationUntilProxyStarts":true,"proxyStatsMatcher":{"inclusionPrefixes":["cluster.outbound","http.inbound"],"inclusionRegexps":[".*upstream_rq_retry.*"]},"tracing":{"sampling":5}}',
      'sidecar.istio.io/logLevel': 'info',
      'sidecar.istio.io/proxyCPU': '50m',
      'sidecar.istio.io/proxyMemory': '64Mi',
      'sidecar.istio.io/proxyMemoryLimit': '256Mi',
      'traffic.sidecar.istio.io/excludeOutboundIPRanges': '169.254.169.254/32',
      'traffic.sidecar.istio.io/excludeOutboundPorts': '5432',
    });
  });

  it('refuses proxy settings Istio would reject', () => {
    const build = (proxy: object) => () => synth((chart) => new MeshService(chart, 'web', { image, port: 80, proxy }));
    expect(build({ excludeOutboundIPRanges: ['10.0.0.1'] })).toThrowError(/"10.0.0.1" is not a CIDR range. Write ranges as address\/bits, e.g. "10.0.0.1\/32"/);
    expect(build({ tracingSampling: 120 })).toThrowError(/proxy.tracingSampling: tracing sampling 120 is not a percentage/);
    expect(build({ excludeInboundPorts: [0] })).toThrowError(MeshformError);
  });
});

describe('manual injection', () => {
  const canary = (nativeSidecars = true) =>
    synth((chart) => {
      const mesh = new Mesh(chart, 'shop', { injection: 'manual', nativeSidecars });
      new CanaryService(chart, 'reviews', {
        mesh,
        port: 9080,
        proxy: { stats: { prefixes: ['cluster.outbound'] } },
        versions: [
          { name: 'v1', image, weight: 90 },
          { name: 'v2', image, weight: 10 },
        ],
      });
    });

  it('synthesizes Deployments whose pods already carry the proxy, valid against the schemas', () => {
    const objects = canary();
    expect(find(objects, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio-injection': 'disabled' });
    for (const name of ['reviews-v1', 'reviews-v2']) {
      const deployment = find(objects, 'Deployment', name);
      const template = deployment.spec.template;
      expect(template.spec.initContainers.map((c: any) => c.name)).toEqual(['istio-init', 'istio-proxy']);
      expect(proxyOf(template).restartPolicy).toBe('Always');
      expect(JSON.parse(template.metadata.annotations['sidecar.istio.io/status']).initContainers).toEqual(['istio-init', 'istio-proxy']);
      expect(envOf(proxyOf(template), 'ISTIO_META_OWNER')).toBe(`kubernetes://apis/apps/v1/namespaces/shop/deployments/${name}`);
      expect(schemaIssues(deployment)).toEqual([]);
    }
  });

  it('puts the chosen stats into the proxy config exactly as Istio expects them', () => {
    const proxy = proxyOf(find(canary(), 'Deployment', 'reviews-v1').spec.template);
    expect(JSON.parse(envOf(proxy, 'PROXY_CONFIG'))).toEqual({ proxyStatsMatcher: { inclusionPrefixes: ['cluster.outbound'] } });
  });

  it('uses the classic layout for clusters without native sidecars', () => {
    const template = find(canary(false), 'Deployment', 'reviews-v1').spec.template;
    expect(template.spec.containers.map((c: any) => c.name)).toEqual(['reviews', 'istio-proxy']);
    expect(template.spec.initContainers.map((c: any) => c.name)).toEqual(['istio-init']);
  });
});

describe('MeshJob', () => {
  const jobPod = (objects: Manifest[], kind = 'Job') => {
    const job = find(objects, kind, 'backup');
    return kind === 'Job' ? job.spec.template : job.spec.jobTemplate.spec.template;
  };

  it('gives a Job a native sidecar so that it completes', () => {
    const objects = synth((chart) => new MeshJob(chart, 'backup', { mesh: new Mesh(chart, 'ops', { injection: 'manual' }), image, command: ['backup'] }));
    const pod = jobPod(objects);
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.initContainers.find((c: any) => c.name === 'istio-proxy').restartPolicy).toBe('Always');
    expect(pod.spec.containers.map((c: any) => c.name)).toEqual(['backup']);
    expect(schemaIssues(find(objects, 'Job', 'backup'))).toEqual([]);
  });

  it('asks the webhook for the native layout when injection is automatic, and schedules CronJobs', () => {
    const objects = synth((chart) => new MeshJob(chart, 'backup', { mesh: new Mesh(chart, 'ops'), image, schedule: '0 3 * * *' }));
    const pod = jobPod(objects, 'CronJob');
    expect(pod.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(pod.metadata.labels['sidecar.istio.io/inject']).toBe('true');
  });

  it('stops a classic-layout proxy when the command exits, or refuses when it cannot', () => {
    const classic = synth((chart) =>
      new MeshJob(chart, 'backup', { mesh: new Mesh(chart, 'ops', { nativeSidecars: false }), image, command: ['pg_dump'], args: ['--file', "it's.sql"] }),
    );
    expect(jobPod(classic).spec.containers[0].command).toEqual([
      '/bin/sh',
      '-c',
      `pg_dump --file 'it'\\''s.sql'; status=$?; curl -fsS -X POST ${PROXY_QUIT_URL} >/dev/null || true; exit $status`,
    ]);
    expect(() => synth((chart) => new MeshJob(chart, 'backup', { mesh: new Mesh(chart, 'ops', { nativeSidecars: false }), image }))).toThrowError(
      /test\/backup command: with the classic sidecar layout the proxy keeps running after the job exits, so the Job never completes. Use native sidecars/,
    );
  });

  it('connects to services as its own identity', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'ops');
      const db = new MeshService(chart, 'db', { mesh, image, port: 5432 });
      new MeshJob(chart, 'backup', { mesh, image }).connectTo(db);
    });
    expect(find(objects, 'AuthorizationPolicy', 'db').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/ops/sa/backup']);
  });
});
