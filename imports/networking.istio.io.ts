import type { Construct } from 'constructs';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import type { ISidecar } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import type { IWorkloadEntry } from '@kubernetes-models/istio/networking.istio.io/v1/WorkloadEntry';
import { IstioApiObject, type IstioApiObjectProps } from './istio-api-object.js';

/** The spec of an Istio VirtualService (networking.istio.io/v1). */
export type VirtualServiceSpec = NonNullable<IVirtualService['spec']>;

/** networking.istio.io/v1 VirtualService. */
export class VirtualService extends IstioApiObject<VirtualServiceSpec> {
  public static readonly GVK = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<VirtualServiceSpec>) {
    super(scope, id, VirtualService.GVK, props);
  }
}

/** The spec of an Istio DestinationRule (networking.istio.io/v1). */
export type DestinationRuleSpec = NonNullable<IDestinationRule['spec']>;

/** networking.istio.io/v1 DestinationRule. */
export class DestinationRule extends IstioApiObject<DestinationRuleSpec> {
  public static readonly GVK = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<DestinationRuleSpec>) {
    super(scope, id, DestinationRule.GVK, props);
  }
}

/** The spec of an Istio Gateway (networking.istio.io/v1). */
export type GatewaySpec = NonNullable<IGateway['spec']>;

/** networking.istio.io/v1 Gateway. */
export class Gateway extends IstioApiObject<GatewaySpec> {
  public static readonly GVK = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<GatewaySpec>) {
    super(scope, id, Gateway.GVK, props);
  }
}

/** The spec of an Istio ServiceEntry (networking.istio.io/v1). */
export type ServiceEntrySpec = NonNullable<IServiceEntry['spec']>;

/** networking.istio.io/v1 ServiceEntry. */
export class ServiceEntry extends IstioApiObject<ServiceEntrySpec> {
  public static readonly GVK = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<ServiceEntrySpec>) {
    super(scope, id, ServiceEntry.GVK, props);
  }
}

/** The spec of an Istio Sidecar (networking.istio.io/v1). */
export type SidecarSpec = NonNullable<ISidecar['spec']>;

/** networking.istio.io/v1 Sidecar. */
export class Sidecar extends IstioApiObject<SidecarSpec> {
  public static readonly GVK = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<SidecarSpec>) {
    super(scope, id, Sidecar.GVK, props);
  }
}

/** The spec of an Istio WorkloadEntry (networking.istio.io/v1). */
export type WorkloadEntrySpec = NonNullable<IWorkloadEntry['spec']>;

/** networking.istio.io/v1 WorkloadEntry. */
export class WorkloadEntry extends IstioApiObject<WorkloadEntrySpec> {
  public static readonly GVK = { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<WorkloadEntrySpec>) {
    super(scope, id, WorkloadEntry.GVK, props);
  }
}
