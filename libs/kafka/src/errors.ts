/** Options shared by every error of the Kafka layer. */
export interface KafkaLayerErrorOptions {
  /** The error or value that caused this one. */
  readonly cause?: unknown;
  /** Whether retrying the same operation later could succeed. */
  readonly retriable?: boolean;
}

/** The base of the errors the Kafka layer raises on purpose. */
export class KafkaLayerError extends Error {
  /** Whether retrying the same operation later could succeed. */
  readonly retriable: boolean;
  /** The error or value that caused this one. */
  override readonly cause?: unknown;

  /** Returns a new error with `message`. */
  constructor(message: string, options: KafkaLayerErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    this.cause = options.cause;
  }
}

/** Why a message could not be turned into a value; the dead-letter reason header. */
export type DecodeFailureReason =
  | 'empty-value'
  | 'too-short'
  | 'bad-magic-byte'
  | 'unknown-schema-id'
  | 'incompatible-schema'
  | 'invalid-payload'
  | 'validation-failed'
  | 'missing-lane-headers';

/**
 * Raised when a message cannot be decoded or validated. Never retriable: the same bytes fail
 * the same way, so the message goes to the dead-letter topic.
 */
export class DecodeError extends KafkaLayerError {
  /** Returns a new decode error for `reason`. */
  constructor(
    readonly reason: DecodeFailureReason,
    message: string,
    options: Omit<KafkaLayerErrorOptions, 'retriable'> = {},
  ) {
    super(message, { ...options, retriable: false });
  }
}

/** Raised when a value does not fit the schema it is encoded with; names the bad paths. */
export class EncodeError extends KafkaLayerError {
  /** Returns a new encode error listing the invalid `paths`. */
  constructor(
    readonly subject: string,
    readonly paths: readonly string[],
    options: Omit<KafkaLayerErrorOptions, 'retriable'> = {},
  ) {
    super(`value does not match the schema of ${subject}; invalid fields: ${paths.join(', ') || '<root>'}`, { ...options, retriable: false });
  }
}

/** Raised when the schema registry cannot be reached or answers with a server error; retriable. */
export class RegistryUnavailableError extends KafkaLayerError {
  /** Returns a new error for a failed registry call. */
  constructor(message: string, options: Omit<KafkaLayerErrorOptions, 'retriable'> = {}) {
    super(message, { ...options, retriable: true });
  }
}

/** Raised when the registry rejects a schema (invalid or incompatible); not retriable. */
export class SchemaRejectedError extends KafkaLayerError {
  /** Returns a new error for a schema the registry refused under `subject`. */
  constructor(
    readonly subject: string,
    readonly status: number,
    detail: string,
  ) {
    super(`schema registry refused the schema for ${subject} (HTTP ${status}): ${detail}`, { retriable: false });
  }
}

/** One existing topic with fewer partitions than its spec asks for. */
export interface PartitionMismatch {
  readonly topic: string;
  /** The partitions the topic has on the cluster. */
  readonly existing: number;
  /** The partitions its spec asks for. */
  readonly expected: number;
}

/**
 * Raised when existing topics have fewer partitions than their specs ask for: keys would be
 * routed to other partitions than the fleet expects. Not retriable: an operator must act.
 */
export class TopicPartitionMismatchError extends KafkaLayerError {
  /** Returns a new error naming every mismatching topic with both counts. */
  constructor(readonly mismatches: readonly PartitionMismatch[]) {
    super(
      `Existing topics have fewer partitions than the catalogue: ${mismatches.map((m) => `${m.topic} has ${m.existing}, catalogue asks for ${m.expected}`).join('; ')}`,
      { retriable: false },
    );
  }
}

/** Raised when new topics still lack a leader on some partition after the wait; retriable. */
export class TopicLeadersTimeoutError extends KafkaLayerError {
  /** Returns a new error naming the topics and the last thing the cluster answered. */
  constructor(
    readonly topics: readonly string[],
    readonly timeoutMs: number,
    lastState: string,
    options: Omit<KafkaLayerErrorOptions, 'retriable'> = {},
  ) {
    super(`Topics ${topics.join(', ')} have no leader on every partition after ${timeoutMs} ms (${lastState})`, { ...options, retriable: true });
  }
}
