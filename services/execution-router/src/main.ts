import 'reflect-metadata';
import { ConfigurationError, type Environment, laneMain } from '@fleet/service';
import { readExecutionRouterConfig } from './execution-router.config';
import { EXECUTION_ROUTER_INPUTS, EXECUTION_ROUTER_OUTPUTS, ExecutionRouterHandler } from './execution-router.lane';

/**
 * The lane service runs the paper exchange. The live venue path (LiveVenueRouter) is tested
 * against the loopback fake venue but not yet driven by the lane runtime, so a live
 * configuration is refused here rather than silently trading on paper.
 */
function readPaperConfig(env: Environment): ReturnType<typeof readExecutionRouterConfig> {
  const config = readExecutionRouterConfig(env);
  if (config.venue !== 'paper') {
    throw new ConfigurationError([{ setting: 'FLEET_EXECUTION_VENUE', received: config.venue, message: 'FLEET_EXECUTION_VENUE=live is not available in the lane service yet: the live router runs only in its own tests; use paper' }]);
  }
  return config;
}

laneMain({ service: 'execution-router', inputs: EXECUTION_ROUTER_INPUTS, outputs: EXECUTION_ROUTER_OUTPUTS, handler: (ctx) => new ExecutionRouterHandler(ctx) }, readPaperConfig);
