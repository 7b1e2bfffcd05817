import { Redis } from 'ioredis';
import { decodeSnapshot, encodeSnapshot, type LoadResult, type Snapshot } from './snapshot';

/** The Redis commands the store needs; ioredis fits, tests may pass a stub. */
export interface KeyValuePort {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  del(key: string): Promise<number>;
}

/** Returns an ioredis client for `url` (for example REDIS_URL), connecting lazily on first use. */
export function createRedis(url: string): Redis {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
}

/**
 * Versioned snapshots of a service's hot state in Redis, under `fleet:<service>:snapshot:<name>`.
 * Redis is a cache of the log: a snapshot that is absent, corrupt or of another version makes
 * {@link load} answer "rebuild", and the service replays the log instead.
 */
export class SnapshotStore {
  /** Returns a store for `service` over `redis`. */
  constructor(
    private readonly redis: KeyValuePort,
    readonly service: string,
    private readonly prefix = 'fleet',
  ) {
    if (!service) throw new RangeError('snapshot store needs a service name, received an empty string');
  }

  /** Returns the Redis key of snapshot `name`. */
  keyOf(name: string): string {
    return `${this.prefix}:${this.service}:snapshot:${name}`;
  }

  /** Saves `snapshot` as canonical JSON with its digest; returns the digest. */
  async save<T>(name: string, snapshot: Snapshot<T>): Promise<string> {
    const text = encodeSnapshot(this.service, name, snapshot);
    await this.redis.set(this.keyOf(name), text);
    return (JSON.parse(text) as { digest: string }).digest;
  }

  /** Returns the snapshot when present, intact and of `expectedVersion`; otherwise why to rebuild. */
  async load<T>(name: string, expectedVersion: number): Promise<LoadResult<T>> {
    return decodeSnapshot<T>(await this.redis.get(this.keyOf(name)), this.service, name, expectedVersion);
  }

  /** Deletes snapshot `name`; returns whether it existed. */
  async remove(name: string): Promise<boolean> {
    return (await this.redis.del(this.keyOf(name))) > 0;
  }
}
