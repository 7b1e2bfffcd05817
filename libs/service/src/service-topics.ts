import { type TopicSpec } from '@fleet/contracts';

/** Returns `spec` with `prefix` in front of its name (the same spec when the prefix is empty). */
export function prefixedTopic<T extends TopicSpec>(spec: T, prefix: string): T {
  return prefix === '' ? spec : { ...spec, name: `${prefix}${spec.name}` };
}
