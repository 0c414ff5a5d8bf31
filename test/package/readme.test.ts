import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };
// The machine's environment (CA bundles, proxies) without the test runner's and npm's own variables,
// which would otherwise steer the children.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|NODE_OPTIONS$|TEST$)/i.test(key)));

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env, shell: false });
  expect(result.status, `${command} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`.slice(0, 3000)).toBe(0);
  return result;
}

it('links the checkout\'s command at npm ci, so that npx meshform answers without building the package again', () => {
  // --no-install fails unless the command is already linked in node_modules/.bin.
  const version = run('npx', ['--no-install', 'meshform', '--version'], ROOT).stdout.trim();
  expect(version).toBe(manifest.version);
  expect(realpathSync(join(ROOT, 'node_modules/.bin/meshform'))).toBe(realpathSync(join(ROOT, 'bin/meshform.js')));
});

describe('the package as users install it', () => {
  let packed: { filename: string; files: { path: string }[] };
  let app: string;

  beforeAll(() => {
    const out = mkdtempSync(join(tmpdir(), 'meshform-pack-'));
    // lib/ is built by `npm test` before the tests run; packing must not build again.
    packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], ROOT).stdout)[0];
    app = mkdtempSync(join(tmpdir(), 'meshform-app-'));
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'shop-infra',
        private: true,
        type: 'module',
        dependencies: { meshform: `file:${join(out, packed.filename)}`, cdk8s: manifest.devDependencies.cdk8s, constructs: manifest.devDependencies.constructs },
      }),
    );
    // Everything is in npm's cache after `npm ci`; the registry is asked only for what is not.
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
    return () => rmSync(app, { recursive: true, force: true });
  }, 180_000);

  it('ships only what it needs, and its source maps point at shipped files', () => {
    const files = new Set(packed.files.map((file) => file.path));
    for (const required of ['LICENSE', 'CHANGELOG.md', 'README.md', 'bin/meshform.js', 'lib/src/index.js', 'lib/src/index.d.ts', 'lib/src/pulumi/index.js']) {
      expect(files).toContain(required);
    }
    expect([...files].filter((file) => /^(test|examples|bench)\//.test(file))).toEqual([]);
    const maps = [...files].filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(10);
    const dangling = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(app, 'node_modules/meshform', map), 'utf8')) as { sources: string[] };
      return sources.map((source) => posix.normalize(posix.join(posix.dirname(map), source))).filter((source) => !files.has(source));
    });
    expect(dangling).toEqual([]);
  });

  it('synthesizes the README quick start (at most 15 lines) in a fresh app', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quickStart = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(quickStart.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
    writeFileSync(join(app, 'main.ts'), quickStart);
    run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'main.ts'], app);
    const kinds = parseAllDocuments(readFileSync(join(app, 'dist/shop.k8s.yaml'), 'utf8')).map((d) => d.toJS().kind);
    expect(new Set(kinds)).toEqual(
      new Set(['Namespace', 'PeerAuthentication', 'ServiceAccount', 'Service', 'Deployment', 'DestinationRule', 'AuthorizationPolicy', 'VirtualService', 'Gateway']),
    );
  });

  it('ships the Airflow and NiFi blueprints as subpaths a team imports with its own values', () => {
    writeFileSync(
      join(app, 'platform.ts'),
      [
        "import { App, Chart } from 'cdk8s';",
        "import { buildAirflow, type AirflowOptions } from 'meshform/blueprints/airflow';",
        "import { buildNifi } from 'meshform/blueprints/nifi';",
        'const app = new App({ outdir: "platform" });',
        "const options: AirflowOptions = { namespace: 'data-airflow', host: 'airflow.data.example.com', workers: { min: 1, max: 10 } };",
        "buildAirflow(new Chart(app, 'airflow'), options);",
        "buildNifi(new Chart(app, 'nifi'), { namespace: 'data-nifi', nodes: 2 });",
        'app.synth();',
      ].join('\n'),
    );
    run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'platform.ts'], app);
    const objects = (file: string) => parseAllDocuments(readFileSync(join(app, 'platform', file), 'utf8')).map((d) => d.toJS());
    const airflow = objects('airflow.k8s.yaml');
    expect(airflow.find((o) => o.kind === 'ScaledObject').spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 10 });
    expect(new Set(airflow.map((o) => o.metadata.namespace).filter(Boolean))).toEqual(new Set(['data-airflow']));
    expect(objects('nifi.k8s.yaml').find((o) => o.kind === 'StatefulSet').spec.replicas).toBe(2);
  });

  it('installs the meshform command, which analyzes what the app wrote', () => {
    expect(run(join(app, 'node_modules/.bin/meshform'), ['--version'], app).stdout.trim()).toBe(manifest.version);
    run(join(app, 'node_modules/.bin/meshform'), ['analyze', 'dist/'], app);
  });
});
