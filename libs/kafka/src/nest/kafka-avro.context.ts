import { BaseRpcContext } from '@nestjs/microservices';
import { type InboundEvent } from '../events';

/** The context of a KafkaAvroServer handler (`@Ctx()`): where the event came from and its headers. */
export class KafkaAvroContext extends BaseRpcContext<[InboundEvent]> {
  /** Returns the decoded event with its metadata. */
  getEvent(): InboundEvent {
    return this.args[0];
  }
  /** Returns the topic the event was read from. */
  getTopic(): string {
    return this.args[0].topic;
  }
  /** Returns the partition the event was read from. */
  getPartition(): number {
    return this.args[0].partition;
  }
  /** Returns the event's offset. */
  getOffset(): string {
    return this.args[0].offset;
  }
  /** Returns the Kafka headers as strings. */
  getHeaders(): Readonly<Record<string, string>> {
    return this.args[0].headers;
  }
}
