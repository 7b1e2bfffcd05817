import 'reflect-metadata';
import { laneMain } from '@fleet/service';
import { readBudgetLedgerConfig } from './budget-ledger.config';
import { BUDGET_LEDGER_INPUTS, BUDGET_LEDGER_OUTPUTS, BudgetLedgerHandler } from './budget-ledger.lane';

laneMain({ service: 'budget-ledger', inputs: BUDGET_LEDGER_INPUTS, outputs: BUDGET_LEDGER_OUTPUTS, handler: (ctx) => new BudgetLedgerHandler(ctx) }, readBudgetLedgerConfig);
