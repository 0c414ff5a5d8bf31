/**
 * L1: one typed cdk8s ApiObject class per Istio kind, grouped by API group
 * (networking.istio.io.ts, security.istio.io.ts, telemetry.istio.io.ts).
 *
 * Each class takes its spec type from @kubernetes-models/istio (generated from Istio's CRDs), so
 * field names and types are Istio's own, and validates its object against that package's JSON
 * schema at synth (schemas.ts maps apiVersion/kind to the upstream models).
 *
 * To add a kind when Istio adds one: in the file of its API group, export `XxxSpec` as
 * `NonNullable<IXxx['spec']>` from `@kubernetes-models/istio/<group>/<version>/Xxx` and a class
 * `Xxx extends IstioApiObject<XxxSpec>` with its `GVK`; if its group/version is new, add it to
 * MODEL_SOURCES in schemas.ts and its module to schema-models.ts so that its objects are
 * schema-checked.
 */
// Every bundled schema model, for synchronous validation (the CLI loads only its input's kinds).
import './schema-models.js';
export * from './mesh-api-object.js';
export * from './istio-api-object.js';
export * from './schemas.js';
export * from './networking.istio.io.js';
export * from './security.istio.io.js';
export * from './telemetry.istio.io.js';
