import 'reflect-metadata';
import { laneMain } from '@fleet/service';
import { readHedgeConfig } from './hedge.config';
import { HEDGE_INPUTS, HEDGE_OUTPUTS, HedgeHandler } from './hedge.lane';

laneMain({ service: 'hedge', inputs: HEDGE_INPUTS, outputs: HEDGE_OUTPUTS, handler: (ctx) => new HedgeHandler(ctx) }, readHedgeConfig);
