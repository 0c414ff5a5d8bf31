import { k8s } from 'cdk8s-plus-27';
import { assertPort, MeshformError } from '../../core/index.js';

/** Timing of a probe; Kubernetes' own defaults apply to what is left out. */
export interface HealthCheckOptions {
  /** @default - Kubernetes' default (0s) */
  readonly initialDelaySeconds?: number;
  /** @default - Kubernetes' default (10s) */
  readonly periodSeconds?: number;
  /** @default - Kubernetes' default (1s) */
  readonly timeoutSeconds?: number;
  /** @default - Kubernetes' default (3) */
  readonly failureThreshold?: number;
}

/**
 * A readiness or liveness probe. Istio rewrites HTTP and TCP probes so that they reach the
 * application through the sidecar's health port (15021) even under STRICT mTLS.
 */
export class HealthCheck {
  /** GET `path` on `port` (default: the workload's first port) must answer 2xx/3xx. */
  public static http(path: string, options: HealthCheckOptions & { readonly port?: number } = {}): HealthCheck {
    return new HealthCheck((port) => ({ httpGet: { path, port: k8s.IntOrString.fromNumber(options.port ?? port) } }), options);
  }

  /** A TCP connection to `port` (default: the workload's first port) must open. */
  public static tcp(options: HealthCheckOptions & { readonly port?: number } = {}): HealthCheck {
    return new HealthCheck((port) => ({ tcpSocket: { port: k8s.IntOrString.fromNumber(options.port ?? port) } }), options);
  }

  /** `command` run in the container must exit 0. */
  public static command(command: readonly string[], options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(() => ({ exec: { command: [...command] } }), options);
  }

  private constructor(
    private readonly handler: (defaultPort: number) => k8s.Probe,
    private readonly options: HealthCheckOptions & { readonly port?: number },
  ) {
    if (options.port !== undefined) assertPort(options.port, { field: 'port' });
    for (const field of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'] as const) {
      const value = options[field];
      const least = field === 'initialDelaySeconds' ? 0 : 1;
      if (value !== undefined && !(Number.isInteger(value) && value >= least)) {
        throw new MeshformError(`${field} is ${value}`, { field, fix: `Give a whole number ≥ ${least}.` });
      }
    }
  }

  /** @internal */
  public _toKube(defaultPort: number): k8s.Probe {
    const { port: _port, ...timing } = this.options;
    return { ...this.handler(defaultPort), ...timing };
  }
}
