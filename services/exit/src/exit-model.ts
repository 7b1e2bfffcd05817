import { fleetModels, type ModelContext, type RunnerState } from '@fleet/core';
import { type TakerOrder } from '@fleet/strategy-lanes';

/**
 * Returns the orders of the core exit allocator on `ctx`, called as the runner calls it
 * (`fleetModels.exit`): reduce the global position on the venues whose base profit and net edge
 * per unit clear edgeMinUsd, ranked by score (net edge with fragmentation and basis-risk terms),
 * each an IOC at the touch. The figures are the runner's (qGlobal, entryPrice, netEdgePerUnit,
 * score) plus the edge breakdown of the chosen venue and its mark price when one was seen. An
 * order is reduce-only when it cannot grow its venue's position (the venue holds at least its
 * size on the other side); an exit that opens a leg on a flat venue is not.
 */
export function exitOrders(ctx: ModelContext, state: RunnerState): readonly TakerOrder[] {
  const plan = fleetModels.exit(ctx);
  return plan.orders.map((order, rank) => {
    const candidate = plan.candidates.find((c) => c.venueIndex === order.venueIndex);
    const edge = candidate?.edge;
    const q = ctx.venues[order.venueIndex].positionQty;
    const markPrice = state.venues[order.venueIndex].markPrice;
    return {
      venueIndex: order.venueIndex,
      side: order.side,
      priceText: order.limitPriceText,
      sizeText: order.sizeText,
      reduceOnly: order.side === 'sell' ? q > 0 && order.size <= q : q < 0 && order.size <= -q,
      modelInputs: {
        qGlobal: plan.qGlobal,
        entryPrice: plan.entryPrice,
        netEdgePerUnit: order.netEdgePerUnit,
        score: order.score,
        ...(edge !== undefined && {
          baseProfit: edge.baseProfit,
          fees: edge.fees,
          slippage: edge.slippage,
          volBuffer: edge.volBuffer,
          basisAdjustment: edge.basisAdjustment,
          fundingAdjustment: edge.fundingAdjustment,
          fragmentationPenalty: edge.fragmentationPenalty,
          fragmentationBonus: edge.fragmentationBonus,
          basisRiskPenalty: edge.basisRiskPenalty,
        }),
        ...(candidate !== undefined && { venueCapacity: candidate.capacity }),
        ...(markPrice !== null && { markPrice }),
        venuePosition: q,
        sigmaEff: ctx.fv.sigmaEff,
        rank,
      },
    };
  });
}
