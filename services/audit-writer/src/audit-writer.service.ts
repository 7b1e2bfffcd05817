import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type AuditStartReport, AuditTrailWriter } from './audit-trail-writer';
import { KafkaCheckpointSink } from './kafka-adapters';

/**
 * The provider that owns the audit loop: on bootstrap it connects the checkpoint producer and
 * starts the writer (recovery, seeks, consumption); before shutdown it stops the writer, which
 * drains the queue and seals the open segment, then disconnects the producer.
 */
@Injectable()
export class AuditWriterService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private started: AuditStartReport | undefined;

  /** Returns the service over the writer and its checkpoint sink. */
  constructor(
    private readonly writer: AuditTrailWriter,
    private readonly checkpoints: KafkaCheckpointSink,
  ) {}

  /** What the writer found and did at start, once started. */
  get report(): AuditStartReport | undefined {
    return this.started;
  }

  /** Connects the checkpoint producer, then starts the writer. */
  async onApplicationBootstrap(): Promise<void> {
    await this.checkpoints.connect();
    this.started = await this.writer.start();
  }

  /** Stops the writer (sealing the open segment, or throwing its fatal error), then disconnects the producer. */
  async beforeApplicationShutdown(): Promise<void> {
    try {
      await this.writer.stop();
    } finally {
      await this.checkpoints.disconnect();
    }
  }
}
