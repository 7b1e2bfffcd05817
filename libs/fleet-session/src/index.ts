/**
 * Fleet sessions: start the nine services as processes on one session's topics, follow the log,
 * and derive the session digest, the summary figures and the latency from it. The main job and
 * the end-to-end tests both use it.
 */
export * from './fleet-session';
export * from './session-log';
export * from './panel-queries';
