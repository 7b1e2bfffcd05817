import { coPartitionAssignment } from './co-partition-assigner';

describe('coPartitionAssignment', () => {
  const topics = { 'fv.state': [0, 1, 2, 3, 4, 5], 'md.book': [5, 4, 3, 2, 1, 0] };

  it('gives one member every partition of every topic', () => {
    expect(coPartitionAssignment(['m'], topics).get('m')).toEqual({ 'fv.state': [0, 1, 2, 3, 4, 5], 'md.book': [0, 1, 2, 3, 4, 5] });
  });

  it('gives each of two members the same partitions on every topic, whatever order the members come in', () => {
    for (const members of [['b', 'a'], ['a', 'b']]) {
      const plan = coPartitionAssignment(members, topics);
      expect(plan.get('a')).toEqual({ 'fv.state': [0, 2, 4], 'md.book': [0, 2, 4] });
      expect(plan.get('b')).toEqual({ 'fv.state': [1, 3, 5], 'md.book': [1, 3, 5] });
    }
  });
});
