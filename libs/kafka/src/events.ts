import { type TopicSpec } from '@fleet/contracts';
import { type AvroSchemaJson, type ValueValidator } from './avro-codec';
import { type EventHeaders } from './headers';

/** A topic to consume and the reader schema its values are decoded with. */
export interface Subscription<T = unknown> {
  readonly spec: TopicSpec<T>;
  /** The reader schema; values written with any compatible schema are resolved to it. */
  readonly schema: AvroSchemaJson;
  /** A domain check on the decoded value; a failure sends the message to the dead-letter topic. */
  readonly validate?: ValueValidator<T>;
}

/** A decoded event handed to a handler. */
export interface InboundEvent<T = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: T;
  /** Every Kafka header as a UTF-8 string. */
  readonly headers: Readonly<Record<string, string>>;
  /** The correlation facts read from the headers. */
  readonly correlation: EventHeaders;
  /** The registry id of the schema the event was written with. */
  readonly schemaId: number;
  /** The record timestamp in milliseconds, as a decimal string. */
  readonly timestamp: string;
}

/** An event to produce. */
export interface OutboundEvent<T = unknown> {
  readonly spec: TopicSpec<T>;
  /** The writer schema. */
  readonly schema: AvroSchemaJson;
  readonly value: T;
  /** The record key, for WAL topics the canonical instrument; null for none. */
  readonly key: string | null;
  /** Correlation headers; when absent they are taken from the value's `envelope`. */
  readonly headers?: EventHeaders;
  /** An explicit partition; otherwise the key decides. */
  readonly partition?: number;
}

/** Handles one decoded event; resolve when the work is done (the offset is committed after). */
export type EventHandler = (event: InboundEvent) => Promise<void> | void;

/** Turns one decoded event into the events to produce in the same transaction. */
export type TransformHandler = (event: InboundEvent) => Promise<readonly OutboundEvent[]> | readonly OutboundEvent[];
