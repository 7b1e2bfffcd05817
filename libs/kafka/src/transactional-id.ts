/**
 * Returns the transactional id of one input partition: `<group>-<topic>-<partition>`.
 * kafkajs has no KIP-447, so zombie fencing relies on the transactional id following the
 * input partition: whichever instance owns the partition uses the same id and fences the
 * previous owner.
 */
export function transactionalIdFor(group: string, topic: string, partition: number): string {
  if (!group || !topic) {
    throw new RangeError(`transactional id needs a group and a topic, received group "${group}" topic "${topic}"`);
  }
  if (!Number.isInteger(partition) || partition < 0) {
    throw new RangeError(`partition must be a non-negative integer, received ${partition}`);
  }
  return `${group}-${topic}-${partition}`;
}
