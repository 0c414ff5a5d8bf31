/**
 * `pulumi up` program: installs Istio (base → istiod → gateway) and deploys Bookinfo, with reviews
 * as a canary, through MeshStack. Config (all optional):
 *   pulumi config set istioVersion 1.29.0
 *   pulumi config set reviewsV2Weight 20      # share of reviews traffic on v2; v1 gets the rest
 *   pulumi config set imageRegistry docker.io/istio
 */
import * as pulumi from '@pulumi/pulumi';
import { IstioInstall, MeshStack } from '../../src/pulumi/index.js';
import { buildBookinfo } from '../bookinfo.js';

const config = new pulumi.Config();
const v2 = config.getNumber('reviewsV2Weight') ?? 20;
const registry = pulumi.output(config.get('imageRegistry') ?? 'docker.io/istio');

export const istio = new IstioInstall('istio', { version: config.get('istioVersion') });

export const bookinfo = new MeshStack('bookinfo', {
  istio,
  build: (chart, { value }) =>
    buildBookinfo(chart, {
      reviewsWeights: { v1: 100 - v2, v2, v3: 0 },
      image: (component) => value(pulumi.interpolate`${registry}/examples-bookinfo-${component}:1.20.3`),
      gatewayIdentity: istio.gatewayIdentity,
    }),
});

export const objects = bookinfo.manifests.length;
