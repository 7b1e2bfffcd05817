import { Inject, Injectable } from '@nestjs/common';
import { type BookSnapshot, type FairValueState as FairValueStateEvent } from '@fleet/contracts';
import { type InboundEvent } from '@fleet/kafka';
import { type FleetMetrics } from '@fleet/metrics';
import { type RecoverableState } from '@fleet/service';
import { type Gauge } from 'prom-client';
import { FAIR_VALUE_CONFIG, FAIR_VALUE_STATE_VERSION, FLEET_METRICS } from './fair-value.constants';
import { type FairValueServiceConfig } from './fair-value.config';
import { FairValueTracker, type PartitionFairValues } from './fair-value-tracker';

/** The domain gauges of fair-value (names from docs/metrics.md). */
export interface FairValueGauges {
  readonly fairValue: Gauge<'instrument'>;
  readonly sigmaEff: Gauge<'instrument'>;
}

/** Returns the fair-value gauges registered on `metrics`. */
export function fairValueGauges(metrics: FleetMetrics): FairValueGauges {
  return {
    fairValue: metrics.gauge('fleet_fair_value', 'Current fair value, in quote currency.', ['instrument']),
    sigmaEff: metrics.gauge('fleet_sigma_eff', 'Effective volatility used by the quoting model (per √second).', ['instrument']),
  };
}

/** The fair-value state of the process: the pure tracker, recoverable by the kit, reported to the gauges. */
@Injectable()
export class FairValueEngine implements RecoverableState<PartitionFairValues> {
  /** The version of the snapshot payload. */
  readonly stateVersion = FAIR_VALUE_STATE_VERSION;
  private readonly tracker: FairValueTracker;
  private readonly gauges: FairValueGauges;

  /** Returns the engine for the service configuration, reporting to `metrics`. */
  constructor(@Inject(FAIR_VALUE_CONFIG) config: FairValueServiceConfig, @Inject(FLEET_METRICS) metrics: FleetMetrics) {
    this.tracker = new FairValueTracker(config.strategy);
    this.gauges = fairValueGauges(metrics);
  }

  /** Folds one book read from `partition`; returns its fv.state. */
  onBook(book: BookSnapshot, partition: number): FairValueStateEvent {
    const { event } = this.tracker.onBook(book, partition);
    if (event.fairValue !== null) this.gauges.fairValue.set({ instrument: event.instrument }, event.fairValue);
    this.gauges.sigmaEff.set({ instrument: event.instrument }, event.sigmaEff);
    return event;
  }

  /** Folds one input during a rebuild, discarding its output. */
  replay(event: InboundEvent): void {
    this.onBook(event.value as BookSnapshot, event.partition);
  }

  /** Forgets `partition`. */
  resetPartition(partition: number): void {
    this.tracker.resetPartition(partition);
  }

  /** Returns `partition`'s instruments for a snapshot. */
  exportPartition(partition: number): PartitionFairValues {
    return this.tracker.exportPartition(partition);
  }

  /** Restores `partition` from a snapshot. */
  importPartition(partition: number, payload: PartitionFairValues): void {
    this.tracker.importPartition(partition, payload);
  }
}
