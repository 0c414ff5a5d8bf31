import type { Construct } from 'constructs';
import type { ITelemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import { IstioApiObject, type IstioApiObjectProps } from './istio-api-object.js';

/** The spec of an Istio Telemetry (telemetry.istio.io/v1). */
export type TelemetrySpec = NonNullable<ITelemetry['spec']>;

/** telemetry.istio.io/v1 Telemetry. */
export class Telemetry extends IstioApiObject<TelemetrySpec> {
  public static readonly GVK = { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' };

  public constructor(scope: Construct, id: string, props: IstioApiObjectProps<TelemetrySpec>) {
    super(scope, id, Telemetry.GVK, props);
  }
}
