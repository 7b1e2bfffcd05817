import { transactionalIdFor } from './transactional-id';
import { isFencingError } from './transactional-processor';
import { Topics } from '@fleet/contracts';

describe('transactional ids', () => {
  it('names one id per group, input topic and partition', () => {
    expect(transactionalIdFor('risk-shield', Topics.strategyIntent.name, 3)).toBe(`risk-shield-${Topics.strategyIntent.name}-3`);
    expect(transactionalIdFor('g', 't', 0)).not.toBe(transactionalIdFor('g', 't', 1));
  });

  it('refuses an empty group or topic and a bad partition', () => {
    expect(() => transactionalIdFor('', 't', 0)).toThrow(RangeError);
    expect(() => transactionalIdFor('g', '', 0)).toThrow(RangeError);
    expect(() => transactionalIdFor('g', 't', -1)).toThrow(RangeError);
    expect(() => transactionalIdFor('g', 't', 1.5)).toThrow(RangeError);
  });

  it('recognises fencing errors and nothing else', () => {
    const fenced = Object.assign(new Error('Producer attempted an operation with an old epoch'), { type: 'INVALID_PRODUCER_EPOCH' });
    expect(isFencingError(fenced)).toBe(true);
    expect(isFencingError(new Error('PRODUCER_FENCED'))).toBe(true);
    expect(isFencingError(new Error('The coordinator is loading'))).toBe(false);
  });
});
