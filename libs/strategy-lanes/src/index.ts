/**
 * The taker strategies' lane kit (hedge, exit): the per-instrument view folded from a lane's
 * inputs and the pure lane handler that turns a strategy's model orders into IOC intents.
 */
export * from './taker-view';
export * from './taker-lane';
