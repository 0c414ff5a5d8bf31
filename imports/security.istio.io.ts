import type { Construct } from 'constructs';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IRequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication';
import { IstioApiObject, type IstioApiObjectProps } from './istio-api-object.js';

/** The spec of an Istio PeerAuthentication (security.istio.io/v1). */
export type PeerAuthenticationSpec = NonNullable<IPeerAuthentication['spec']>;

/** security.istio.io/v1 PeerAuthentication. */
export class PeerAuthentication extends IstioApiObject<PeerAuthenticationSpec> {
  public static readonly GVK = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<PeerAuthenticationSpec>) {
    super(scope, id, PeerAuthentication.GVK, props);
  }
}

/** The spec of an Istio AuthorizationPolicy (security.istio.io/v1). */
export type AuthorizationPolicySpec = NonNullable<IAuthorizationPolicy['spec']>;

/** security.istio.io/v1 AuthorizationPolicy. */
export class AuthorizationPolicy extends IstioApiObject<AuthorizationPolicySpec> {
  public static readonly GVK = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<AuthorizationPolicySpec>) {
    super(scope, id, AuthorizationPolicy.GVK, props);
  }
}

/** The spec of an Istio RequestAuthentication (security.istio.io/v1). */
export type RequestAuthenticationSpec = NonNullable<IRequestAuthentication['spec']>;

/** security.istio.io/v1 RequestAuthentication. */
export class RequestAuthentication extends IstioApiObject<RequestAuthenticationSpec> {
  public static readonly GVK = { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<RequestAuthenticationSpec>) {
    super(scope, id, RequestAuthentication.GVK, props);
  }
}
