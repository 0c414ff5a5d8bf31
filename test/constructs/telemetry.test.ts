import { describe, expect, it } from 'vitest';
import { analyze, Mesh, MeshDefaults, MeshService, TracingTag, type KubeObject, type TelemetryOptions } from '../../src/index.js';
import { errorOf, synth } from '../support/synth.js';

const image = 'example.com/app:1.0';

describe('Telemetry', () => {
  it('writes mesh-wide, namespace and workload Telemetry, each scope over the one above', () => {
    const objects = synth((chart) => {
      new MeshDefaults(chart, 'defaults', { telemetry: { tracing: { provider: 'otel', randomSamplingPercentage: 1 }, accessLogging: { provider: 'envoy' } } });
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop', telemetry: { accessLogging: { filter: 'response.code >= 400', mode: 'SERVER' } } });
      new MeshService(chart, 'api', {
        mesh,
        image,
        port: 80,
        telemetry: {
          tracing: { randomSamplingPercentage: 25.5, customTags: { tenant: TracingTag.header('x-tenant', 'none'), team: TracingTag.literal('payments') }, disableSpanReporting: false },
          metrics: {
            overrides: [
              { metric: 'REQUEST_DURATION', mode: 'SERVER', disabled: true },
              { metric: 'REQUEST_COUNT', addTags: { request_host: 'request.host' }, removeTags: ['destination_canonical_revision'] },
            ],
          },
        },
      });
    });
    const telemetries = objects.filter((o) => o.kind === 'Telemetry').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.spec]);
    expect(telemetries).toEqual([
      ['istio-system/mesh-default', { tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 1 }], accessLogging: [{ providers: [{ name: 'envoy' }] }] }],
      ['shop/default', { accessLogging: [{ providers: [{ name: 'envoy' }], match: { mode: 'SERVER' }, filter: { expression: 'response.code >= 400' } }] }],
      [
        'shop/api',
        {
          selector: { matchLabels: { app: 'api' } },
          tracing: [{ randomSamplingPercentage: 25.5, customTags: { team: { literal: { value: 'payments' } }, tenant: { header: { name: 'x-tenant', defaultValue: 'none' } } } }],
          metrics: [
            {
              providers: [{ name: 'prometheus' }],
              overrides: [
                { match: { metric: 'REQUEST_DURATION', mode: 'SERVER' }, disabled: true },
                {
                  match: { metric: 'REQUEST_COUNT', mode: 'CLIENT_AND_SERVER' },
                  tagOverrides: { destination_canonical_revision: { operation: 'REMOVE' }, request_host: { operation: 'UPSERT', value: 'request.host' } },
                },
              ],
            },
          ],
        },
      ],
    ]);
    expect(analyze(objects as KubeObject[]).filter((d) => d.code.startsWith('IST01'))).toEqual([]);
  });

  it.each<[string, TelemetryOptions, RegExp]>([
    ['sampling of 150%', { tracing: { randomSamplingPercentage: 150 } }, /telemetry\.tracing\.randomSamplingPercentage: 150 is not a percentage from 0 to 100/],
    ['a deprecated provider', { tracing: { provider: 'lightstep' } }, /telemetry\.tracing\.provider: provider "lightstep" is deprecated\. .*OpenTelemetry/],
    ['an unknown metric', { metrics: { overrides: [{ metric: 'REQUESTS' as never, disabled: true }] } }, /telemetry\.metrics\.overrides\[0\]\.metric: "REQUESTS" is not an Istio metric/],
    ['a tag added and removed', { metrics: { overrides: [{ metric: 'REQUEST_COUNT', addTags: { a: 'x' }, removeTags: ['a'] }] } }, /telemetry\.metrics\.overrides\[0\]\.removeTags: tag a is both added and removed/],
    ['an override that changes nothing', { metrics: { overrides: [{ metric: 'REQUEST_COUNT' }] } }, /telemetry\.metrics\.overrides\[0\]: the override of REQUEST_COUNT changes nothing/],
    ['an empty filter', { accessLogging: { filter: ' ' } }, /telemetry\.accessLogging\.filter: the filter is empty/],
    ['nothing at all', {}, /telemetry\.tracing: the telemetry sets nothing/],
    ['a tag that is not a TracingTag', { tracing: { customTags: { x: 'literal' as never } } }, /telemetry\.tracing\.customTags\.x: "literal" is not a TracingTag/],
  ])('refuses %s, naming the field', (_name, telemetry, message) => {
    expect(errorOf((chart) => new MeshService(chart, 'api', { image, port: 80, telemetry })).message).toMatch(new RegExp(`test/api ${message.source}`));
  });
});
