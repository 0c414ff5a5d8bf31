export * from './mesh-stack.js';
export * from './istio-install.js';
export { isIstioKind, createsPods, type ResourceManifest } from './kubernetes-resource.js';
export { ExtensionProvider, type ExtensionProviderConfig, type ProviderEndpoint } from '../constructs/observability/extension-provider.js';
