import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type BookSnapshot, type FairValueState, type TopicSpec, Topics } from '@fleet/contracts';
import { KafkaAvroContext, type OutboundEvent } from '@fleet/kafka';
import { FV_STATE_TOPIC } from './fair-value.constants';
import { FairValueEngine } from './fair-value.engine';
import { FAIR_VALUE_STATE_SCHEMA } from './fair-value-tracker';

/** md.book in, fv.state out: decode (done by the transport) → the engine → the outputs of the transaction. */
@Controller()
export class FairValueController {
  /** Returns the controller over `engine`, producing to `fvState`. */
  constructor(
    @Inject(FairValueEngine) private readonly engine: FairValueEngine,
    @Inject(FV_STATE_TOPIC) private readonly fvState: TopicSpec<FairValueState>,
  ) {}

  /** Returns the fv.state of one book, keyed by instrument. */
  @EventPattern(Topics.mdBook.name)
  onBook(@Payload() book: BookSnapshot, @Ctx() ctx: KafkaAvroContext): OutboundEvent<FairValueState>[] {
    const value = this.engine.onBook(book, ctx.getPartition());
    return [{ spec: this.fvState, schema: FAIR_VALUE_STATE_SCHEMA, value, key: value.instrument }];
  }
}
