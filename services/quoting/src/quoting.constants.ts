/** The service name: the producer of quoting's events. */
export const QUOTING_SERVICE = 'quoting';

/** The producer of fv.state. */
export const FAIR_VALUE_PRODUCER = 'fair-value';

/** The producer of risk.state. */
export const RISK_SHIELD_PRODUCER = 'risk-shield';

/** The producer of order.event. */
export const EXECUTION_ROUTER_PRODUCER = 'execution-router';

/** The purpose of every order quoting manages: the runner's market-making orders. */
export const QUOTING_PURPOSE = 'mm';
