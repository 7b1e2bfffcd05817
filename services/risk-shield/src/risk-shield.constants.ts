/** The service name: producer of risk.state and risk.decision, metrics label, Redis key segment. */
export const RISK_SHIELD_SERVICE = 'risk-shield';
