import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/** The name the co-partitioning assigner registers under in the group protocol. */
export const CO_PARTITION_ASSIGNER = 'fleet-co-partition';

/**
 * Returns, for members and topics, partition p of every topic for the member at index
 * p mod members (members sorted by id): a member owns whole lanes, so the events of one
 * instrument on every input topic reach the same instance. Pure; the assigner below wraps it.
 */
export function coPartitionAssignment(memberIds: readonly string[], partitionsByTopic: Readonly<Record<string, readonly number[]>>): Map<string, Record<string, number[]>> {
  const members = [...memberIds].sort();
  const out = new Map<string, Record<string, number[]>>(members.map((m) => [m, {}]));
  for (const topic of Object.keys(partitionsByTopic).sort()) {
    for (const partition of [...partitionsByTopic[topic]!].sort((a, b) => a - b)) {
      const member = members[partition % members.length]!;
      const assignment = out.get(member)!;
      (assignment[topic] ??= []).push(partition);
    }
  }
  return out;
}

/** A kafkajs partition assigner giving each member whole lanes (see {@link coPartitionAssignment}). */
export const coPartitionAssigner: PartitionAssigner = ({ cluster }) => ({
  name: CO_PARTITION_ASSIGNER,
  version: 1,
  protocol({ topics }) {
    return { name: CO_PARTITION_ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
  },
  async assign({ members, topics }) {
    const partitionsByTopic: Record<string, number[]> = {};
    for (const topic of topics) partitionsByTopic[topic] = cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId);
    const plan = coPartitionAssignment(
      members.map((m) => m.memberId),
      partitionsByTopic,
    );
    return [...plan].map(([memberId, assignment]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.alloc(0) }),
    }));
  },
});
