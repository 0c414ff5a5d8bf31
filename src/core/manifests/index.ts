export * from './kube-object.js';
export * from './object-identity.js';
export * from './parse-manifests.js';
export * from './mesh-config.js';
export * from './namespaces.js';
export * from './mesh-networks.js';
export * from './deferred-values.js';
