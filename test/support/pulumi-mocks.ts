import * as pulumi from '@pulumi/pulumi';

/** One resource as the (mock) engine received it. */
export interface RegisteredResource {
  type: string;
  name: string;
  urn: string;
  inputs: any;
  provider?: string;
  parent: string;
  dependencies: string[];
}

/**
 * Installs Pulumi's own mocks (call before the program is imported) and records every
 * registration with the dependencies and parent the SDK sent, which the mock callback alone
 * does not see.
 */
export async function installMocks(options: { preview?: boolean } = {}): Promise<RegisteredResource[]> {
  const registered: RegisteredResource[] = [];
  const pending = new Map<string, { parent: string; dependencies: string[] }>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const key = `${args.type}::${args.name}`;
        const extra = pending.get(key) ?? { parent: '', dependencies: [] };
        registered.push({ type: args.type, name: args.name, urn: '', inputs: args.inputs, provider: args.provider, ...extra });
        const namespace = args.inputs?.metadata?.namespace;
        const name = args.inputs?.metadata?.name ?? args.name;
        return { id: namespace ? `${namespace}/${name}` : name, state: { ...args.inputs } };
      },
      call(args) {
        return args.inputs;
      },
    },
    'meshform-test',
    'test',
    options.preview ?? false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: any, callback: (err: unknown, res: any) => void): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    pending.set(`${req.getType()}::${req.getName()}`, { parent: req.getParent(), dependencies: [...req.getDependenciesList()].sort() });
    register(req, (err, res) => {
      const entry = registered.find((r) => r.type === req.getType() && r.name === req.getName());
      if (entry && res) entry.urn = res.getUrn();
      callback(err, res);
    });
  };
  return registered;
}

/** The value of an Output (or plain input), as a Promise. */
export function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(input).apply((value) => resolve(value as T)));
}

/** Waits until the SDK has sent every registration made so far. */
export async function settled(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
