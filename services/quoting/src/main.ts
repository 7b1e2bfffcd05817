import 'reflect-metadata';
import { laneMain } from '@fleet/service';
import { readQuotingConfig } from './quoting.config';
import { QUOTING_INPUTS, QUOTING_OUTPUTS, QuotingHandler } from './quoting.lane';

laneMain({ service: 'quoting', inputs: QUOTING_INPUTS, outputs: QUOTING_OUTPUTS, handler: (ctx) => new QuotingHandler(ctx) }, readQuotingConfig);
