import { parentPort, workerData } from 'node:worker_threads';
import { runEpisode, type EpisodeTask, type ScenarioFile, type StrategyKnobs } from '@fleet/research';

/** What a worker is started with. */
export interface WorkerInit {
  readonly scenarios: readonly ScenarioFile[];
  readonly durationSec?: number;
}

/** A batch of episodes for one candidate; `scenarios` adds scenarios the worker did not start with. */
export interface WorkerBatch {
  readonly knobs: StrategyKnobs;
  readonly tasks: readonly EpisodeTask[];
  readonly scenarios?: readonly ScenarioFile[];
}

const init = workerData as WorkerInit;
const byName = new Map(init.scenarios.map((s) => [s.name, s]));

parentPort!.on('message', (batch: WorkerBatch) => {
  try {
    for (const s of batch.scenarios ?? []) byName.set(s.name, s);
    const results = batch.tasks.map((t) => {
      const scenario = byName.get(t.scenario);
      if (scenario === undefined) throw new Error(`unknown scenario ${t.scenario}`);
      return runEpisode(batch.knobs, scenario, t.seed, t.index, { durationSec: init.durationSec });
    });
    parentPort!.postMessage({ ok: true, results });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).stack ?? String(e) });
  }
});
