export * from './mesh-stack.js';
export * from './istio-install.js';
export { isIstioKind, createsPods, type ResourceManifest } from './kubernetes-resource.js';
