import { AuditOverflowError, BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('makes a put into a full queue wait until a take makes room (backpressure)', async () => {
    const queue = new BoundedQueue<number>({ capacity: 2 });
    await queue.put(1);
    await queue.put(2);
    let third = false;
    const pending = queue.put(3).then(() => {
      third = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false);
    expect(await queue.take(10)).toBe(1);
    await pending;
    expect(third).toBe(true);
    expect([await queue.take(10), await queue.take(10)]).toEqual([2, 3]);
  });

  it('refuses after the maximum wait with an error and counts the overflow, keeping what it holds', async () => {
    let overflows = 0;
    const queue = new BoundedQueue<number>({ capacity: 1, maxWaitMs: 30, onOverflow: () => (overflows += 1) });
    await queue.put(1);
    let heartbeats = 0;
    await expect(
      queue.put(2, async () => {
        heartbeats += 1;
      }, 10),
    ).rejects.toBeInstanceOf(AuditOverflowError);
    expect(overflows).toBe(1);
    expect(heartbeats).toBeGreaterThan(0);
    expect(queue.size).toBe(1);
    expect(await queue.take(10)).toBe(1);
  });

  it('drains after close and then returns undefined', async () => {
    const queue = new BoundedQueue<number>({ capacity: 3 });
    await queue.put(7);
    queue.close();
    await expect(queue.put(8)).rejects.toThrow('closed');
    expect(await queue.take(10)).toBe(7);
    expect(await queue.take(10)).toBeUndefined();
  });
});
