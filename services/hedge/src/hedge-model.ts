import { fleetModels, type ModelContext } from '@fleet/core';
import { type TakerOrder } from '@fleet/strategy-lanes';

/**
 * Returns the orders of the core hedge allocator on `ctx`, called as the runner calls it
 * (`fleetModels.hedge`): outside the vol-scaled deadband, the step −sign(q)·min(gain·|q|, maxStep)
 * on the cheapest venues by per-unit cost, each an IOC at the guard price. The figures are the
 * runner's (qGlobal, band, desiredStep, costPerUnit) plus the cost breakdown of the chosen venue.
 * A hedge may open a leg on a flat venue, so it is never reduce-only.
 */
export function hedgeOrders(ctx: ModelContext): readonly TakerOrder[] {
  const hedge = fleetModels.hedge(ctx);
  return hedge.orders.map((order, rank) => {
    const candidate = hedge.candidates.find((c) => c.venueIndex === order.venueIndex);
    const cost = candidate?.cost;
    return {
      venueIndex: order.venueIndex,
      side: order.side,
      priceText: order.limitPriceText,
      sizeText: order.sizeText,
      reduceOnly: false,
      modelInputs: {
        qGlobal: hedge.qGlobal,
        band: hedge.band,
        desiredStep: hedge.desiredStep,
        costPerUnit: order.costPerUnit,
        ...(cost !== undefined && {
          costExecution: cost.execution,
          costFee: cost.fee,
          costSlippage: cost.slippage,
          costLiquidationPenalty: cost.liquidationPenalty,
          costFragmentationPenalty: cost.fragmentationPenalty,
          fundingBenefit: cost.fundingBenefit,
          basisEdge: cost.basisEdge,
        }),
        ...(candidate !== undefined && { venueCapacity: candidate.capacity }),
        venuePosition: ctx.venues[order.venueIndex].positionQty,
        sigmaEff: ctx.fv.sigmaEff,
        rank,
      },
    };
  });
}
