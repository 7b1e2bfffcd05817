import 'reflect-metadata';
import { laneMain } from '@fleet/service';
import { readRiskShieldConfig } from './risk-shield.config';
import { RISK_SHIELD_INPUTS, RISK_SHIELD_OUTPUTS, RiskShieldHandler } from './risk-shield.lane';

laneMain({ service: 'risk-shield', inputs: RISK_SHIELD_INPUTS, outputs: RISK_SHIELD_OUTPUTS, handler: (ctx) => new RiskShieldHandler(ctx) }, readRiskShieldConfig);
