/**
 * The testing entry point (`@fleet/strategy-lanes/testing`): builders of the lane events a taker
 * strategy consumes (books, fair values, funding, marks, risk states, order events) and of ticks.
 */
export * from './lane-events';
