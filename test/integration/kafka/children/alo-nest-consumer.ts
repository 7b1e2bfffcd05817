/**
 * Child process: a NestJS microservice on the KafkaAvroServer transport, at-least-once. The
 * handler is an @EventPattern method that receives the decoded input and publishes one output
 * through the injected EventPublisher. SIGTERM closes the app gracefully (enableShutdownHooks).
 * Usage: tsx alo-nest-consumer.ts <group> <input> <inPartitions> <output> <outPartitions> <dlq>
 */
import 'reflect-metadata';
import { Controller, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventPublisher, KafkaAvroContext, KafkaAvroServer, KafkaModule } from '@fleet/kafka';
import { brokers, env, inputSchema, newClient, newCodec, outputFor, outputSchema, testTopic, type TestInput, type TestOutput } from '../fixtures';

const [group, input, inPartitions, output, outPartitions, dlq] = process.argv.slice(2);
const inSpec = testTopic<TestInput>(input, Number(inPartitions));
const outSpec = testTopic<TestOutput>(output, Number(outPartitions), 'fleet.test.TestOutput');

@Controller()
class EchoController {
  constructor(@Inject(EventPublisher) private readonly publisher: EventPublisher) {}

  @EventPattern(inSpec.name)
  async onInput(@Payload() value: TestInput, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await this.publisher.publish([{ spec: outSpec, schema: outputSchema, value: outputFor(value, 'kafka-it-alo'), key: ctx.getEvent().key }]);
  }
}

/** Reports a completed graceful shutdown; Nest re-raises SIGTERM afterwards, so the exit is by signal. */
@Injectable()
class ShutdownReporter implements OnApplicationShutdown {
  onApplicationShutdown(signal?: string): void {
    process.stdout.write(`shutdown complete (${signal ?? 'no signal'})\n`);
  }
}

@Module({
  imports: [KafkaModule.forRoot({ kafka: { clientId: `kafka-it-alo-${process.pid}`, brokers: brokers(), logLevel: 'NOTHING' }, schemaRegistryUrl: env('SCHEMA_REGISTRY_URL') })],
  controllers: [EchoController],
  providers: [ShutdownReporter],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createMicroservice(AppModule, {
    logger: ['error', 'warn'],
    strategy: new KafkaAvroServer({
      mode: 'at-least-once',
      client: newClient(`kafka-it-alo-consumer-${process.pid}`),
      codec: newCodec(),
      groupId: group,
      subscriptions: [{ spec: inSpec, schema: inputSchema }],
      deadLetter: testTopic(dlq, 1),
      lagIntervalMs: 0,
      consumer: { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 },
    }),
  });
  app.enableShutdownHooks();
  await app.listen();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`nest consumer failed: ${String(error)}\n`);
  process.exit(1);
});
