import { type TopicSpec } from '@fleet/contracts';
import { type IncomingRecord, type OutgoingRecord } from './client';
import { DecodeError } from './errors';
import { DLQ_HEADER } from './headers';

/** The reason recorded for a failure that is not a {@link DecodeError}. */
export const UNCLASSIFIED_REASON = 'unclassified';

/** Returns the dead-letter reason of `error`. */
export function deadLetterReason(error: unknown): string {
  return error instanceof DecodeError ? error.reason : UNCLASSIFIED_REASON;
}

/**
 * Returns the dead-letter record of a message that could not be decoded or validated: the
 * original key and raw value bytes unchanged, the original headers, plus headers with the
 * reason, source topic, partition, offset, error class and message.
 */
export function deadLetterRecord(deadLetter: TopicSpec, message: IncomingRecord, error: unknown): OutgoingRecord {
  const errorClass = error instanceof Error ? error.name : typeof error;
  const errorMessage = error instanceof Error ? error.message : String(error);
  return {
    topic: deadLetter.name,
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DLQ_HEADER.reason]: deadLetterReason(error),
      [DLQ_HEADER.sourceTopic]: message.topic,
      [DLQ_HEADER.sourcePartition]: String(message.partition),
      [DLQ_HEADER.sourceOffset]: message.offset,
      [DLQ_HEADER.errorClass]: errorClass,
      [DLQ_HEADER.errorMessage]: errorMessage.slice(0, 1000),
    },
  };
}
