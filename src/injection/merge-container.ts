import type { Container } from './pod-types.js';

/** List fields of a container merged item by item (Kubernetes' strategic merge keys). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
};

/**
 * Lays a container the user wrote (an `istio-proxy` with their overrides) over the injected one:
 * maps merge, keyed lists merge item by item, anything else the user set wins; `image: auto`
 * keeps the injected image.
 */
export function overlayContainer(injected: Container, user: Container | undefined): Container {
  if (!user) return injected;
  const result = deepOverlay(injected, user, '') as Record<string, unknown>;
  if (user.image === 'auto') result.image = injected.image;
  return result as Container;
}

// Walks arbitrary container fields: values are whatever the user wrote.
function deepOverlay(base: unknown, overlay: unknown, field: string): unknown {
  if (overlay === undefined) return base;
  if (Array.isArray(base) && Array.isArray(overlay) && MERGE_KEYS[field]) {
    const key = MERGE_KEYS[field]!;
    const merged = base.map((item) => {
      const match = overlay.find((o) => keyOf(o, key) === keyOf(item, key));
      return match ? deepOverlay(item, match, '') : item;
    });
    for (const item of overlay) if (!base.some((b) => keyOf(b, key) === keyOf(item, key))) merged.push(item);
    return merged;
  }
  if (isMap(base) && isMap(overlay)) {
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(overlay)) result[key] = deepOverlay(base[key], value, key);
    return result;
  }
  return overlay;
}

function keyOf(item: unknown, key: string): unknown {
  return isMap(item) ? item[key] : undefined;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Merges lists of named things: items of `base` updated or kept in order, new ones appended. */
export function mergeByName<T extends { readonly name?: string }>(base: readonly T[], added: readonly T[]): T[] {
  const result = [...base];
  for (const item of added) {
    const at = result.findIndex((existing) => existing?.name === item?.name);
    if (at < 0) result.push(item);
    else result[at] = item;
  }
  return result;
}
