import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { parseManifests } from '../../src/core/index.js';

const codes = (yaml: string) => analyze(parseManifests(yaml), { analyzers: ['meshform.UnreachableWorkloadAnalyzer'] }).map((d) => `${d.code} ${d.origin}`);

const workload = (name: string, namespace = 'shop') => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec: { selector: { app: ${name} }, ports: [{ name: http, port: 80 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}, version: v1 } }
    spec: { containers: [{ name: app, image: app }] }
---`;

const policy = (name: string, namespace: string, spec: string) => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}
---`;

describe('meshform.UnreachableWorkloadAnalyzer (MF0007)', () => {
  it('reports a Service whose pods only an allow-nothing policy applies to', () => {
    expect(codes(workload('orders') + policy('allow-nothing', 'shop', '{}'))).toEqual(['MF0007 Service shop/orders']);
  });

  it('reports a Service whose own ALLOW policy has no rule, and not one whose policy admits a caller', () => {
    const yaml =
      workload('orders') +
      workload('users') +
      policy('orders', 'shop', '{ selector: { matchLabels: { app: orders } }, action: ALLOW }') +
      policy('users', 'shop', "{ selector: { matchLabels: { app: users } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }] }");
    expect(codes(yaml)).toEqual(['MF0007 Service shop/orders']);
  });

  it('lets a rule in the root namespace, or in another applying policy, open the workload', () => {
    expect(codes(workload('orders') + policy('allow-nothing', 'shop', '{}') + policy('mesh-probe', 'istio-system', '{ rules: [{ to: [{ operation: { paths: [/healthz] } }] }] }'))).toEqual([]);
    expect(codes(workload('orders') + policy('allow-nothing', 'shop', '{}') + policy('orders', 'shop', '{ selector: { matchLabels: { version: v1 } }, rules: [{}] }'))).toEqual([]);
  });

  it('ignores DENY policies, policies bound to gateways, other namespaces and Services without pods', () => {
    expect(codes(workload('orders') + policy('deny', 'shop', '{ action: DENY, rules: [{}] }'))).toEqual([]);
    expect(codes(workload('orders') + policy('gw', 'shop', '{ targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: gw }] }'))).toEqual([]);
    expect(codes(workload('orders') + policy('allow-nothing', 'other', '{}'))).toEqual([]);
    expect(codes(`apiVersion: v1\nkind: Service\nmetadata: { name: ghost, namespace: shop }\nspec: { selector: { app: ghost } }\n---` + policy('allow-nothing', 'shop', '{}'))).toEqual([]);
  });
});
