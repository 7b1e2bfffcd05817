/** The service name: producer of fv.state, metrics label, Redis key segment. */
export const FAIR_VALUE_SERVICE = 'fair-value';

/** The version of the snapshot payload of {@link FairValueTracker} partitions. */
export const FAIR_VALUE_STATE_VERSION = 1;

/** Injection token of the {@link FairValueServiceConfig}. */
export const FAIR_VALUE_CONFIG = Symbol('FAIR_VALUE_CONFIG');

/** Injection token of the process FleetMetrics. */
export const FLEET_METRICS = Symbol('FLEET_METRICS');

/** Injection token of the fv.state topic spec (prefixed when the process runs with a topic prefix). */
export const FV_STATE_TOPIC = Symbol('FV_STATE_TOPIC');
