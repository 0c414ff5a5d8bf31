import { JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  Autoscaling,
  CanaryService,
  MeshJob,
  ExternalService,
  Mesh,
  MeshGateway,
  MeshService,
  MeshWorker,
  ServicePort,
  TaskPodTemplate,
  type MeshServiceProps,
} from '../../src/index.js';
import { errorOf, find, synth } from '../support/synth.js';

const image = 'example.com/app:1.0';

describe('pods of stateful and batch workloads', () => {
  it('tells a classic-layout proxy to drain as long as the pod’s grace, and leaves a native one alone', () => {
    const annotations = (nativeSidecars: boolean) =>
      find(
        synth((chart) => new MeshService(chart, 'api', { mesh: new Mesh(chart, 'mesh', { nativeSidecars }), image, port: 80, terminationGracePeriodSeconds: 600 })),
        'Deployment',
        'api-v1',
      ).spec.template.metadata.annotations;
    expect(annotations(false)['proxy.istio.io/config']).toBe('{"terminationDrainDuration":"600s"}');
    expect(annotations(true)).toBeUndefined();
  });

  it('writes field and Secret variables ahead of plain ones, files, user and spread', () => {
    const pod = find(
      synth((chart) =>
        new MeshService(chart, 'api', {
          image,
          port: 80,
          fieldEnv: { POD_NAME: 'metadata.name' },
          secretEnv: { TOKEN: { secret: 's', key: 'token' } },
          env: { ADDRESS: '$(POD_NAME).api' },
          files: [{ name: 'tls', mountPath: '/tls', secret: 'certs' }, { name: 'conf', mountPath: '/conf', configMap: 'conf' }],
          runAsUser: 1000,
          topologySpread: { across: 'zone', required: true },
        }),
      ),
      'Deployment',
      'api-v1',
    ).spec.template.spec;
    expect(pod.containers[0].env.map((e: any) => e.name)).toEqual(['POD_NAME', 'TOKEN', 'ADDRESS']);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tls', mountPath: '/tls', readOnly: true },
      { name: 'conf', mountPath: '/conf', readOnly: true },
    ]);
    expect(pod.volumes).toEqual([{ name: 'tls', secret: { secretName: 'certs' } }, { name: 'conf', configMap: { name: 'conf' } }]);
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api', version: 'v1' } } },
    ]);
  });

  it.each<[string, Partial<MeshServiceProps>, RegExp]>([
    ['the proxy’s UID', { runAsUser: 1337 }, /test\/api runAsUser: runAsUser 1337 is the Istio proxy's user/],
    ['a variable set twice', { env: { A: '1' }, secretEnv: { A: { secret: 's', key: 'k' } } }, /test\/api env: environment variable A is set twice/],
    ['a file with two sources', { files: [{ name: 'f', mountPath: '/f', secret: 's', configMap: 'c' }] }, /test\/api files\[0\]: a file volume needs one source/],
    ['a relative claim path', { stateful: { volumeClaims: [{ name: 'data', mountPath: 'data', storage: '1Gi' }] } }, /stateful\.volumeClaims\[0\]\.mountPath: mountPath "data" is not an absolute path/],
    ['a claim size that is no quantity', { stateful: { volumeClaims: [{ name: 'data', mountPath: '/data', storage: 'big' }] } }, /stateful\.volumeClaims\[0\]\.storage: storage "big" is not a quantity/],
    ['replicas beside an autoscaler', { replicas: 3, autoscaling: Autoscaling.cpu({ maxReplicas: 5 }) }, /test\/api replicas: replicas is given, but an autoscaler sets the replica count/],
    ['a maximum below the minimum', { autoscaling: Autoscaling.cpu({ minReplicas: 4, maxReplicas: 2 }) }, /autoscaling\.maxReplicas: maxReplicas 2 is below minReplicas 4/],
    ['a ScaledObject without trigger', { autoscaling: Autoscaling.keda({ maxReplicas: 5, triggers: [] }) }, /autoscaling\.triggers: the ScaledObject has no trigger/],
    ['a budget that is no count', { disruptionBudget: { maxUnavailable: '150%' } }, /disruptionBudget\.maxUnavailable: maxUnavailable 150% is not a pod count or percentage/],
    ['a wildcard RBAC verb', { kubernetesApiAccess: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }] }, /kubernetesApiAccess\[0\]\.verbs: "\*" is not an RBAC verb/],
    ['own TLS to an mTLS-only port', { portTraffic: [{ port: 80, tls: { mode: 'SIMPLE' } }] }, /portTraffic\[0\]\.tls: callers would send their own TLS to port 80, which takes only Istio's mutual TLS/],
  ])('refuses %s, naming the field', (_name, props, message) => {
    expect(errorOf((chart) => new MeshService(chart, 'api', { image, port: 80, ...props } as MeshServiceProps)).message).toMatch(message);
  });

  it('runs a StatefulSet with stable names, claims and a headless Service that publishes unready pods', () => {
    const objects = synth((chart) =>
      new MeshService(chart, 'db', {
        image,
        ports: [ServicePort.tcp(5432, { suffix: 'pg' })],
        replicas: 3,
        stateful: { podManagementPolicy: 'Parallel', volumeClaims: [{ name: 'data', mountPath: '/data', storage: '10Gi', storageClassName: 'fast' }] },
      }),
    );
    const set = find(objects, 'StatefulSet', 'db').spec;
    expect(set).toMatchObject({ replicas: 3, serviceName: 'db-headless', podManagementPolicy: 'Parallel' });
    expect(set.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } }]);
    expect(set.template.spec.containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(find(objects, 'Service', 'db-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'tcp-pg', port: 5432 }] });
  });

  it('runs a worker without a Service, with its Kubernetes API rights', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'jobs', scopeSidecars: true });
      const db = new MeshService(chart, 'db', { mesh, image, ports: [ServicePort.tcp(5432)] });
      new MeshWorker(chart, 'scheduler', { mesh, image, replicas: 2, kubernetesApiAccess: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }).connectTo(db);
    });
    expect(objects.filter((o) => o.metadata.name === 'scheduler').map((o) => o.kind)).toEqual(['Sidecar', 'ServiceAccount', 'Deployment', 'Role', 'RoleBinding']);
    expect(find(objects, 'RoleBinding', 'scheduler')).toMatchObject({ roleRef: { kind: 'Role', name: 'scheduler' }, subjects: [{ kind: 'ServiceAccount', name: 'scheduler', namespace: 'jobs' }] });
    expect(find(objects, 'Sidecar', 'scheduler').spec.egress[0].hosts).toEqual(['default/kubernetes.default.svc.cluster.local', 'jobs/db.jobs.svc.cluster.local', 'istio-system/*']);
    expect(find(objects, 'AuthorizationPolicy', 'db').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/jobs/sa/scheduler'] } }] }]);
  });

  it('refuses task pods with a classic sidecar, which would never complete', () => {
    const error = errorOf((chart) => new TaskPodTemplate(chart, 'tasks', { mesh: new Mesh(chart, 'mesh', { nativeSidecars: false }), image }));
    expect(error.message).toMatch(/test\/tasks injection: task pods with a classic sidecar never complete/);
  });

  it('refuses operations on an external service, and a host that is no DNS name', () => {
    expect(
      errorOf((chart) => new MeshWorker(chart, 'w', { image }).connectTo(new ExternalService(chart, 'db', { host: 'db.example.com', ports: [ServicePort.tcp(5432)] }), { ports: [5432] })).message,
    ).toMatch(/test\/w connectTo: db\.example\.com is outside the mesh/);
    expect(errorOf((chart) => new ExternalService(chart, 'db', { host: 'not a host', ports: [ServicePort.tcp(5432)] })).message).toMatch(/test\/db host: "not a host" is not an external host name/);
  });

  it('re-encrypts from the gateway only where the workload takes plain TLS, from pods in another namespace', () => {
    const route = (mtls: MeshServiceProps['mtls'], deployment: boolean) =>
      errorOf((chart) => {
        const mesh = new Mesh(chart, 'mesh', { namespace: 'ui' });
        const ui = new MeshService(chart, 'ui', { mesh, image, ports: [ServicePort.https(8443)], mtls });
        new MeshGateway(chart, 'edge', { mesh, https: { hosts: ['ui.example.com'], credentialName: 'tls' }, ...(deployment ? { deployment: {} } : {}) }).route({
          host: 'ui.example.com',
          to: ui,
          backendTls: { mode: 'SIMPLE' },
        });
      }).message;
    expect(route(undefined, false)).toMatch(/route\[0\]\.backendTls: the gateway would send its own TLS to port 8443 of ui, which takes only Istio's mutual TLS/);
    expect(route({ portLevelMtls: { 8443: 'PERMISSIVE' } }, true)).toMatch(/route\[0\]\.backendTls: the gateway pods share namespace ui with ui/);
  });
});

describe('pod placement and plumbing', () => {
  const placement = {
    nodeSelector: { 'kubernetes.io/arch': 'arm64' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['data'] }] }] } } },
    priorityClassName: 'business-critical',
    imagePullSecrets: ['registry-credentials'],
    podSecurityContext: { runAsNonRoot: true },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
  } satisfies Partial<MeshServiceProps>;

  it('renders placement, pull secrets and security contexts on every workload kind', () => {
    const objects = synth((chart) => {
      new MeshService(chart, 'api', { image, port: 8080, ...placement, fsGroup: 1000, runAsUser: 1000 });
      new MeshWorker(chart, 'consumer', { image, ...placement });
      new MeshJob(chart, 'report', { image, schedule: '0 * * * *', ...placement });
    });
    const pods = [find(objects, 'Deployment', 'api-v1').spec.template.spec, find(objects, 'Deployment', 'consumer').spec.template.spec, find(objects, 'CronJob', 'report').spec.jobTemplate.spec.template.spec];
    for (const pod of pods) {
      expect(pod).toMatchObject({
        nodeSelector: placement.nodeSelector,
        tolerations: placement.tolerations,
        affinity: placement.affinity,
        priorityClassName: 'business-critical',
        imagePullSecrets: [{ name: 'registry-credentials' }],
      });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    }
    // The given fields over the restricted defaults.
    expect(pods[0].securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true, fsGroup: 1000 });
    expect(pods[0].containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true, runAsUser: 1000 });
  });

  it('gives CronJobs their concurrency and deadlines, and refuses them on a Job that runs once', () => {
    const objects = synth((chart) => {
      new MeshJob(chart, 'nightly', { image, schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, activeDeadlineSeconds: 3600 });
    });
    const cron = find(objects, 'CronJob', 'nightly').spec;
    expect(cron).toMatchObject({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300 });
    expect(cron.jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
    expect(errorOf((chart) => void new MeshJob(chart, 'once', { image, concurrencyPolicy: 'Forbid' })).message).toMatch(/test\/once concurrencyPolicy: concurrencyPolicy is given without a schedule/);
    expect(errorOf((chart) => void new MeshJob(chart, 'once', { image, activeDeadlineSeconds: 0 })).message).toMatch(/activeDeadlineSeconds: activeDeadlineSeconds is 0/);
    expect(errorOf((chart) => void new MeshJob(chart, 'c', { image, schedule: '* * * * *', concurrencyPolicy: 'Never' as never })).message).toMatch(/concurrencyPolicy "Never" is not known/);
  });

  it('refuses a setting given twice, the proxy user through securityContext, and names that are not names', () => {
    expect(errorOf((chart) => void new MeshService(chart, 'a', { image, port: 80, runAsUser: 10, securityContext: { runAsUser: 11 } })).message).toMatch(/securityContext\.runAsUser: runAsUser is given twice/);
    expect(errorOf((chart) => void new MeshService(chart, 'a', { image, port: 80, securityContext: { runAsUser: 1337 } })).message).toMatch(/securityContext\.runAsUser: runAsUser 1337 is the Istio proxy's user/);
    expect(errorOf((chart) => void new MeshService(chart, 'a', { image, port: 80, fsGroup: 1, podSecurityContext: { fsGroup: 2 } })).message).toMatch(/podSecurityContext\.fsGroup: fsGroup is given twice/);
    expect(errorOf((chart) => void new MeshService(chart, 'a', { image, port: 80, imagePullSecrets: ['Registry Creds'] })).message).toMatch(/imagePullSecrets\[0\]: "Registry Creds" is not a valid object name/);
  });

  it('hands out the workload objects for JSON patches of fields without a prop', () => {
    const objects = synth((chart) => {
      const canary = new CanaryService(chart, 'web', { port: 80, versions: [{ name: 'v1', image, weight: 90 }, { name: 'v2', image, weight: 10 }] });
      canary.workloadOf('v2').addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 3));
      const job = new MeshJob(chart, 'once', { image });
      job.workload.addJsonPatch(JsonPatch.add('/spec/completions', 2));
      expect(() => canary.workloadOf('v3')).toThrowError(/test\/web workloadOf: there is no version "v3"\. Versions are v1, v2\./);
    });
    expect(find(objects, 'Deployment', 'web-v2').spec.revisionHistoryLimit).toBe(3);
    expect(find(objects, 'Deployment', 'web-v1').spec.revisionHistoryLimit).toBeUndefined();
    expect(find(objects, 'Job', 'once').spec.completions).toBe(2);
  });
});
