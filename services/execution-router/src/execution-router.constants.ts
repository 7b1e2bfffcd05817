/** The service name: producer of order.event, metrics label, Redis key segment. */
export const EXECUTION_ROUTER_SERVICE = 'execution-router';

/** The version of the snapshot payload of an execution-router lane. */
export const EXECUTION_ROUTER_STATE_VERSION = 1;
