import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { orderedResults, type EpisodeResult, type EpisodeTask, type ScenarioFile, type StrategyKnobs } from '@fleet/research';
import { type WorkerBatch, type WorkerInit } from './episode-worker';

/** Returns the default worker count: every core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * A pool of worker threads that run episodes of the pure core. Work is handed out in small
 * batches to whichever worker is free; results are put back in episode-index order, so the
 * outcome does not depend on the number of workers or on scheduling.
 */
export class EpisodePool {
  private readonly workers: Worker[];

  /** Returns a pool of `size` workers for `scenarios`. */
  constructor(size: number, init: WorkerInit) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a pool needs at least one worker, received ${size}`);
    const file = join(__dirname, 'episode-worker.ts');
    // Each worker loads TypeScript through tsx, whether the parent runs under tsx or under jest.
    const source = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
    this.workers = Array.from({ length: size }, () => new Worker(source, { eval: true, workerData: init, execArgv: [] }));
  }

  /**
   * Returns the results of `tasks` for `knobs` in index order; `onProgress` is called with the
   * number done; `scenarios` are sent to each worker with its first batch (for scenarios made
   * after the pool started, as in the adversarial search).
   */
  async run(knobs: StrategyKnobs, tasks: readonly EpisodeTask[], onProgress?: (done: number) => void, batchSize = 1, scenarios?: readonly ScenarioFile[]): Promise<EpisodeResult[]> {
    const sent = new Set<Worker>();
    const results: EpisodeResult[] = [];
    let next = 0;
    let failure: Error | undefined;
    const work = async (w: Worker): Promise<void> => {
      while (next < tasks.length && failure === undefined) {
        const batch = tasks.slice(next, next + batchSize);
        next += batch.length;
        const reply = await new Promise<{ ok: boolean; results?: EpisodeResult[]; error?: string }>((resolve, reject) => {
          const onError = (e: Error): void => {
            w.off('message', onMessage);
            reject(e);
          };
          const onMessage = (m: { ok: boolean; results?: EpisodeResult[]; error?: string }): void => {
            w.off('error', onError);
            resolve(m);
          };
          w.once('message', onMessage);
          w.once('error', onError);
          const extra = scenarios !== undefined && !sent.has(w) ? scenarios : undefined;
          sent.add(w);
          w.postMessage({ knobs, tasks: batch, scenarios: extra } satisfies WorkerBatch);
        });
        if (!reply.ok) {
          failure = new Error(`an episode failed in a worker: ${reply.error}`);
          return;
        }
        results.push(...reply.results!);
        onProgress?.(results.length);
      }
    };
    await Promise.all(this.workers.map((w) => work(w)));
    if (failure) throw failure;
    return orderedResults(results);
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Returns the results of `tasks` on a fresh pool of `workers`, closing it afterwards. */
export async function runEpisodes(
  knobs: StrategyKnobs,
  tasks: readonly EpisodeTask[],
  init: WorkerInit,
  workers: number,
  onProgress?: (done: number) => void,
): Promise<EpisodeResult[]> {
  const pool = new EpisodePool(Math.min(workers, Math.max(1, tasks.length)), init);
  try {
    return await pool.run(knobs, tasks, onProgress);
  } finally {
    await pool.close();
  }
}

/** Returns the scenario files the tasks name, for a worker's start-up data. */
export function scenariosFor(tasks: readonly EpisodeTask[], scenarios: readonly ScenarioFile[]): ScenarioFile[] {
  const names = new Set(tasks.map((t) => t.scenario));
  return scenarios.filter((s) => names.has(s.name));
}
