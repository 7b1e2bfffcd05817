import 'reflect-metadata';
import { laneMain } from '@fleet/service';
import { FAIR_VALUE_INPUTS, FAIR_VALUE_OUTPUTS, FairValueHandler, readFairValueLaneConfig } from './fair-value.lane';

laneMain({ service: 'fair-value', inputs: FAIR_VALUE_INPUTS, outputs: FAIR_VALUE_OUTPUTS, handler: (ctx) => new FairValueHandler(ctx) }, readFairValueLaneConfig);
