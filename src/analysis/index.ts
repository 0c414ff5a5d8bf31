// Every bundled schema model, for synchronous validation (the CLI loads only its input's kinds).
import '../../imports/schema-models.js';
export * from './analyze.js';
export * from './diagnostic.js';
export * from './messages.js';
export { DEFAULT_INGRESS_GATEWAY } from './resources/default-resources.js';
export type { Analyzer } from './context.js';
export * from './routing-graph.js';
export { suppressedFindings } from './suppression.js';
export * from './call-graph.js';
export * from './proxy-footprint.js';
