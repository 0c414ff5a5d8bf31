export * from './analyze.js';
export * from './diagnostic.js';
export * from './manifest.js';
export * from './mesh-config.js';
export * from './messages.js';
export { DEFAULT_INGRESS_GATEWAY } from './default-resources.js';
export type { Analyzer } from './context.js';
export * from './routing-graph.js';
