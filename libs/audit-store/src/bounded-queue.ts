/** Raised when a producer waited longer than allowed for room in a full queue: an error, never a silent drop. */
export class AuditOverflowError extends Error {
  /** Returns an error for a queue of `capacity` that stayed full for `waitedMs`. */
  constructor(
    readonly capacity: number,
    readonly waitedMs: number,
  ) {
    super(`audit queue of ${capacity} records stayed full for ${waitedMs} ms; the record was refused (not dropped) and will be consumed again`);
    this.name = 'AuditOverflowError';
  }
}

/** Options of {@link BoundedQueue}. */
export interface BoundedQueueOptions {
  /** Most items held at once. */
  readonly capacity: number;
  /** Longest a put waits for room before it fails with AuditOverflowError; unbounded unless told. */
  readonly maxWaitMs?: number;
  /** Called once per refused put (the overflow metric). */
  readonly onOverflow?: () => void;
}

/**
 * A bounded FIFO between the consumer and the trail writer. A put into a full queue waits
 * (backpressure: the consumer stops fetching while it waits); when a maximum wait is set and
 * passes, the put throws {@link AuditOverflowError} and counts an overflow. Nothing is ever
 * dropped: a refused item was never accepted, and its offset was never sealed.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly roomWaiters: (() => void)[] = [];
  private readonly itemWaiters: (() => void)[] = [];
  private closedFlag = false;

  /** Returns an empty queue. */
  constructor(private readonly options: BoundedQueueOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new RangeError(`queue capacity must be a positive integer, received ${options.capacity}`);
  }

  /** Number of items waiting. */
  get size(): number {
    return this.items.length;
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Adds `item`, waiting while the queue is full; `whileWaiting` runs about every `tickMs`
   * during the wait (for consumer heartbeats). Throws AuditOverflowError after maxWaitMs.
   */
  async put(item: T, whileWaiting?: () => Promise<void>, tickMs = 1_000): Promise<void> {
    const started = Date.now();
    while (this.items.length >= this.options.capacity) {
      if (this.closedFlag) throw new Error('the audit queue is closed');
      const waited = Date.now() - started;
      const maxWait = this.options.maxWaitMs ?? Infinity;
      if (waited >= maxWait) {
        this.options.onOverflow?.();
        throw new AuditOverflowError(this.options.capacity, waited);
      }
      await this.waitFor(this.roomWaiters, Math.min(tickMs, maxWait - waited));
      if (whileWaiting && this.items.length >= this.options.capacity) await whileWaiting();
    }
    if (this.closedFlag) throw new Error('the audit queue is closed');
    this.items.push(item);
    this.itemWaiters.shift()?.();
  }

  /** Removes and returns the oldest item, waiting up to `timeoutMs` for one; undefined when none came or the queue closed. */
  async take(timeoutMs: number): Promise<T | undefined> {
    if (this.items.length === 0 && !this.closedFlag) await this.waitFor(this.itemWaiters, timeoutMs);
    const item = this.items.shift();
    if (item !== undefined) this.roomWaiters.shift()?.();
    return item;
  }

  /** Wakes every waiter; puts fail from now on, takes drain what is left. */
  close(): void {
    this.closedFlag = true;
    for (const wake of [...this.roomWaiters.splice(0), ...this.itemWaiters.splice(0)]) wake();
  }

  private waitFor(waiters: (() => void)[], timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        const i = waiters.indexOf(wake);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, timeoutMs));
      waiters.push(wake);
    });
  }
}
