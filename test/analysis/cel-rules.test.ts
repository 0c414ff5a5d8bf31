import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { schemaIssues } from '../../imports/schemas.js';
import type { CelRule, CrdSchemaPack, StructuralSchema } from '../../imports/crd-schemas.js';
import { compileRule } from '../../src/analysis/validation/cel-environment.js';
import { celRuleViolations, celRuleViolationsIn } from '../../src/analysis/validation/cel-rules.js';
import { analyze } from '../../src/analysis/index.js';
import { parseManifests, type KubeObject } from '../../src/core/index.js';
import { buildPack, PACK_SOURCES } from '../support/crd-schema-packs.js';
import { CORPUS, corpusPath } from '../support/synth.js';

/** Every rule of a schema, with the messageExpressions as rules of their own. */
function rulesOf(node: StructuralSchema | undefined, found: CelRule[] = []): CelRule[] {
  if (!node || typeof node !== 'object') return found;
  found.push(...(node['x-kubernetes-validations'] ?? []));
  for (const child of [...Object.values(node.properties ?? {}), node.items, typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined]) rulesOf(child, found);
  return found;
}

const packs = CORPUS ? Object.fromEntries(Object.keys(PACK_SOURCES).map((name) => [name, buildPack(name)])) : {};

describe.skipIf(!CORPUS)('CEL rules of the CRDs, evaluated by @bufbuild/cel', () => {
  it('compiles every rule and message expression of every CRD set, with every function it calls bound', () => {
    const counts: Record<string, number> = {};
    const failures: string[] = [];
    for (const [name, pack] of Object.entries(packs)) {
      const rules = Object.values(pack.kinds).flatMap((schema) => rulesOf(schema));
      counts[name] = rules.length;
      for (const text of new Set(rules.flatMap((rule) => [rule.rule, ...(rule.messageExpression ? [rule.messageExpression] : [])]))) {
        const compiled = compileRule(text);
        if ('error' in compiled) failures.push(`${name}: ${text} ${compiled.error}`);
      }
    }
    expect(failures).toEqual([]);
    // Istio 1.29's CRDs state 354 rules, master's 398 (counted over each served version's schema).
    expect(counts['istio-1.29']).toBe(354);
    expect(counts['istio-master']).toBe(398);
    for (const name of Object.keys(PACK_SOURCES).filter((pack) => pack.startsWith('gateway-api'))) expect(counts[name], name).toBeGreaterThan(50);
  });
});

interface CelCase {
  readonly _test: { readonly name: string; readonly wantErrors?: readonly string[]; readonly channel?: 'experimental'; readonly status?: boolean };
}

const CASES_DIR = 'reference/gateway-api/v1.5.1/cel-tests';
const cases: (CelCase & KubeObject)[] = CORPUS
  ? readdirSync(corpusPath(CASES_DIR))
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .flatMap((file) => parseAllDocuments(readFileSync(join(corpusPath(CASES_DIR), file), 'utf8')).map((document) => document.toJS() as CelCase & KubeObject))
  : [];

/** The messages a CEL rule of the pack can give: the texts a wantError of CEL origin is a part of. */
function celMessages(pack: CrdSchemaPack): string[] {
  return Object.values(pack.kinds).flatMap((schema) => rulesOf(schema).flatMap((rule) => [rule.message ?? '', rule.messageExpression ?? '', rule.rule]));
}

describe.skipIf(!CORPUS)("the Gateway API's own CEL test cases (v1.5.1)", () => {
  it.each(cases.map((testCase) => [testCase._test.name, testCase] as const))('%s', (_name, testCase) => {
    const { _test: meta, ...object } = testCase;
    const pack = packs[`gateway-api-v1.5.1-${meta.channel ?? 'standard'}`]!;
    const found = celRuleViolationsIn(object as KubeObject, pack).map((violation) => `${violation.path}: ${violation.message}`);
    const schema = schemaIssues(object) ?? [];
    const wanted = meta.wantErrors ?? [];
    if (wanted.length === 0) {
      expect(found).toEqual([]);
      return;
    }
    const known = celMessages(pack);
    for (const want of wanted) {
      // An error of a CEL rule must be reported with its text; one of the OpenAPI schema
      // (enums, patterns, lengths), which the API server words its own way, by the schema check.
      if (known.some((message) => message.includes(want))) expect(found.join('\n'), want).toContain(want);
      else expect(schema.length + found.length, `${want}: expected a schema or rule violation`).toBeGreaterThan(0);
    }
  });
});

/** One object per kind that breaks one Istio 1.29 rule, and one that keeps it. */
const ISTIO_TABLE: readonly (readonly [kind: string, spec: string, broken: string | undefined])[] = [
  ['networking.istio.io/v1 DestinationRule', '{ host: web, trafficPolicy: { outlierDetection: { interval: "10" } } }', 'spec.trafficPolicy.outlierDetection.interval'],
  ['networking.istio.io/v1 DestinationRule', '{ host: web, trafficPolicy: { outlierDetection: { interval: 10s } } }', undefined],
  ['networking.istio.io/v1 VirtualService', '{ hosts: [web], http: [{ timeout: 1x, route: [{ destination: { host: web } }] }] }', 'spec.http[0].timeout'],
  ['networking.istio.io/v1 VirtualService', '{ hosts: [web], http: [{ timeout: 2s, route: [{ destination: { host: web } }] }] }', undefined],
  ['networking.istio.io/v1 Sidecar', '{ workloadSelector: { labels: { app: "web*" } } }', 'spec.workloadSelector.labels[app]'],
  ['networking.istio.io/v1 ServiceEntry', '{ hosts: ["*"], resolution: NONE, ports: [{ number: 80, name: http, protocol: HTTP }] }', 'spec.hosts[0]'],
  ['networking.istio.io/v1 ServiceEntry', '{ hosts: [api.example.com], resolution: DNS, ports: [{ number: 443, name: https, protocol: HTTPS }] }', undefined],
  ['networking.istio.io/v1 WorkloadGroup', '{ template: { ports: { http: 8080 } }, probe: { httpGet: { port: 0 } } }', 'spec.probe.httpGet.port'],
  ['networking.istio.io/v1 WorkloadGroup', '{ template: { ports: { http: 70000 } } }', 'spec.template.ports[http]'],
  ['security.istio.io/v1 AuthorizationPolicy', '{ selector: { matchLabels: { app: web } }, targetRef: { kind: Service, group: "", name: web } }', 'spec'],
  ['security.istio.io/v1 RequestAuthentication', '{ jwtRules: [{ issuer: a, jwksUri: "ftp://keys.example.com/jwks" }] }', 'spec.jwtRules[0].jwksUri'],
  ['security.istio.io/v1 RequestAuthentication', '{ jwtRules: [{ issuer: a, jwksUri: "https://keys.example.com/jwks" }] }', undefined],
  ['telemetry.istio.io/v1 Telemetry', '{ tracing: [{ randomSamplingPercentage: 50 }] }', undefined],
  ['extensions.istio.io/v1alpha1 WasmPlugin', '{ url: "ftp://example.com/plugin.wasm" }', 'spec.url'],
  ['extensions.istio.io/v1alpha1 WasmPlugin', '{ url: "oci://ghcr.io/example/plugin:1" }', undefined],
  // Go's time.ParseDuration and strconv.ParseInt, as cel-go has them: no empty duration, no hex port.
  ['networking.istio.io/v1 DestinationRule', '{ host: web, trafficPolicy: { outlierDetection: { interval: "" } } }', 'spec.trafficPolicy.outlierDetection.interval'],
  ['security.istio.io/v1 PeerAuthentication', '{ selector: { matchLabels: { app: web } }, portLevelMtls: { "0x50": { mode: STRICT } } }', 'spec.portLevelMtls'],
  ['security.istio.io/v1 PeerAuthentication', '{ selector: { matchLabels: { app: web } }, portLevelMtls: { "8080": { mode: STRICT } } }', undefined],
  ['networking.istio.io/v1 Gateway', '{ servers: [{ port: { number: 443, name: https, protocol: HTTPS }, hosts: ["*"], tls: { mode: SIMPLE, credentialName: a, credentialNames: [b] } }] }', 'spec.servers[0].tls'],
  ['networking.istio.io/v1 WorkloadEntry', '{ ports: { http: 8080 } }', 'spec'],
  ['networking.istio.io/v1beta1 ProxyConfig', '{ selector: { matchLabels: { "app*": web } } }', 'spec.selector.matchLabels'],
  ['networking.istio.io/v1alpha3 EnvoyFilter', '{ configPatches: [{ applyTo: CLUSTER, match: { context: WAYPOINT }, patch: { operation: MERGE } }] }', 'spec.configPatches[0].match'],
];

describe("Istio's CRD rules, per kind", () => {
  it.each(ISTIO_TABLE.map(([kind, spec, broken]) => [`${kind} ${broken ? `breaks ${broken}` : 'is valid'}`, kind, spec, broken] as const))('%s', (_name, kind, spec, broken) => {
    const [apiVersion, name] = kind.split(' ');
    const [object] = parseManifests(`apiVersion: ${apiVersion}\nkind: ${name}\nmetadata: { name: x, namespace: shop }\nspec: ${spec}\n`);
    const paths = celRuleViolations(object!).map((violation) => violation.path);
    if (broken) expect(paths).toContain(broken);
    else expect(paths).toEqual([]);
  });

  it('rejects an object whose rule fails to evaluate, naming the rule', () => {
    const [object] = parseManifests('apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: x }\nspec: { host: web, trafficPolicy: { outlierDetection: { baseEjectionTime: "10" } } }\n');
    expect(celRuleViolations(object!)).toEqual([expect.objectContaining({ path: 'spec.trafficPolicy.outlierDetection.baseEjectionTime', message: expect.stringMatching(/fails to evaluate/) })]);
  });
});

describe('CEL rules of CRDs given with the input', () => {
  const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: scalers.example.com }
spec:
  group: example.com
  names: { kind: Scaler, plural: scalers }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              min: { type: integer }
              max: { type: integer, default: 10 }
            x-kubernetes-validations:
            - { rule: "!has(self.min) || self.min <= self.max", message: "min must not exceed max" }
`;
  const scaler = (min: number) => `---
apiVersion: example.com/v1
kind: Scaler
metadata: { name: s${min}, namespace: shop }
spec: { min: ${min} }
`;

  it('checks objects against the rules of CRDs among the input, with the defaults of their schema', () => {
    const found = analyze(parseManifests(`${crd}${scaler(20)}${scaler(5)}`)).filter((d) => d.code === 'IST0106');
    expect(found.map((d) => `${d.origin} ${d.path}: ${d.message}`)).toEqual(['Scaler shop/s20 spec: Schema validation error: spec: min must not exceed max']);
  });

  it('takes the CRDs as an option, for manifests that do not carry them', () => {
    const objects = parseManifests(scaler(20));
    expect(analyze(objects).filter((d) => d.code === 'IST0106')).toEqual([]);
    expect(analyze(objects, { crds: parseManifests(crd) }).filter((d) => d.code === 'IST0106').map((d) => d.origin)).toEqual(['Scaler shop/s20']);
  });
});

describe('self-referencing YAML', () => {
  it('validates an object whose alias makes it its own descendant, without running away', () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: loop, namespace: shop }
spec:
  hosts: [db.example.com]
  ports: &ports [{ name: tcp, number: 5432, protocol: TCP, targetPort: *ports }]
`;
    const found = analyze(parseManifests(yaml), { analyzers: ['schema.ValidationAnalyzer'] });
    expect(found.filter((d) => d.code === 'IST0106').map((d) => d.path)).toContain('spec.ports.0.targetPort');
  });
});
