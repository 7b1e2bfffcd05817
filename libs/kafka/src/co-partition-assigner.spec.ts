import { Topics } from '@fleet/contracts';
import { coPartitionAssignment } from './co-partition-assigner';

describe('coPartitionAssignment', () => {
  const fv = Topics.fvState.name;
  const md = Topics.mdBook.name;
  const topics = { [fv]: [0, 1, 2, 3, 4, 5], [md]: [5, 4, 3, 2, 1, 0] };

  it('gives one member every partition of every topic', () => {
    expect(coPartitionAssignment(['m'], topics).get('m')).toEqual({ [fv]: [0, 1, 2, 3, 4, 5], [md]: [0, 1, 2, 3, 4, 5] });
  });

  it('gives each of two members the same partitions on every topic, whatever order the members come in', () => {
    for (const members of [['b', 'a'], ['a', 'b']]) {
      const plan = coPartitionAssignment(members, topics);
      expect(plan.get('a')).toEqual({ [fv]: [0, 2, 4], [md]: [0, 2, 4] });
      expect(plan.get('b')).toEqual({ [fv]: [1, 3, 5], [md]: [1, 3, 5] });
    }
  });
});
