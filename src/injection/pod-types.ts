/**
 * The pod shapes injection reads and writes, from kubernetes-models (whose core/v1 types know the
 * fields newer than cdk8s-plus-27's, such as an init container's `restartPolicy`). Input comes from
 * user YAML, so code that reads these still guards against missing fields.
 */
export type {
  IContainer as Container,
  IContainerPort as ContainerPort,
  IEnvVar as EnvVar,
  IPodSecurityContext as PodSecurityContext,
  IPodSpec as PodSpec,
  IProbe as Probe,
  IVolume as Volume,
  IVolumeMount as VolumeMount,
} from 'kubernetes-models/v1';
