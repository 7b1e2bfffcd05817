import 'reflect-metadata';
import { laneMain } from '@fleet/service';
import { readExitConfig } from './exit.config';
import { EXIT_INPUTS, EXIT_OUTPUTS, ExitHandler } from './exit.lane';

laneMain({ service: 'exit', inputs: EXIT_INPUTS, outputs: EXIT_OUTPUTS, handler: (ctx) => new ExitHandler(ctx) }, readExitConfig);
