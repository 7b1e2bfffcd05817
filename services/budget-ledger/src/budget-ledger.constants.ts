/** The service name: producer of budget.delta, order.command and position.state, metrics label, Redis key segment. */
export const BUDGET_LEDGER_SERVICE = 'budget-ledger';
