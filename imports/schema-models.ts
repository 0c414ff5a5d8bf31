/**
 * Every bundled model at once, for callers that validate synchronously without knowing their
 * kinds ahead (synthesis, the `analyze()` and `schemaIssues()` API). Imported for its effect: the
 * command line loads only the kinds of its input (`loadSchemasFor`), and so never this module.
 */
import * as certManagerV1 from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import * as gatewayV1 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import * as gatewayV1alpha2 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2';
import * as gatewayV1alpha3 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha3';
import * as gatewayV1beta1 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1';
import * as gatewayExperimentalV1alpha1 from '@kubernetes-models/gateway-api/gateway.networking.x-k8s.io/v1alpha1';
import * as istioNetworking from '@kubernetes-models/istio/networking.istio.io/v1';
import * as istioNetworkingAlpha from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import * as istioNetworkingBeta from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import * as istioSecurity from '@kubernetes-models/istio/security.istio.io/v1';
import * as istioSecurityBeta from '@kubernetes-models/istio/security.istio.io/v1beta1';
import * as istioTelemetry from '@kubernetes-models/istio/telemetry.istio.io/v1';
import * as istioTelemetryAlpha from '@kubernetes-models/istio/telemetry.istio.io/v1alpha1';
import * as kedaV1alpha1 from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as apiextensionsV1 from 'kubernetes-models/apiextensions.k8s.io/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { registerModels } from './schemas.js';

registerModels([coreV1, appsV1, batchV1, autoscalingV2, policyV1, networkingV1, rbacV1, apiextensionsV1, istioNetworking, istioNetworkingBeta, istioNetworkingAlpha, istioSecurity, istioSecurityBeta, istioTelemetry, istioTelemetryAlpha, kedaV1alpha1, gatewayV1, gatewayV1beta1, gatewayV1alpha2, gatewayV1alpha3, gatewayExperimentalV1alpha1, certManagerV1], true);
