/** The service name: producer of its strategy.intent events, metrics label, Redis key segment. */
export const EXIT_SERVICE = 'exit';
