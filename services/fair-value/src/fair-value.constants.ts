/** The service name: producer of fv.state, metrics label, Redis key segment. */
export const FAIR_VALUE_SERVICE = 'fair-value';
