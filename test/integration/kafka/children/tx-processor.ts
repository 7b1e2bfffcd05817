/**
 * Child process: the transactional read-process-write path. Each input yields exactly one
 * output whose id derives from the input's; outputs and input offsets commit in one
 * transaction per input partition. Runs until SIGTERM (graceful) or SIGKILL.
 * Usage: tsx tx-processor.ts <group> <input> <inPartitions> <output> <outPartitions> <dlq>
 */
import { TransactionalProcessor } from '@fleet/kafka';
import { inputSchema, newClient, newCodec, outputFor, outputSchema, testTopic, type TestInput, type TestOutput } from '../fixtures';

async function main(): Promise<void> {
  const [group, input, inPartitions, output, outPartitions, dlq] = process.argv.slice(2);
  const inSpec = testTopic<TestInput>(input, Number(inPartitions));
  const outSpec = testTopic<TestOutput>(output, Number(outPartitions), 'fleet.test.TestOutput');
  const processor = new TransactionalProcessor({
    client: newClient(`kafka-it-tx-${process.pid}`),
    codec: newCodec(),
    groupId: group,
    subscriptions: [{ spec: inSpec, schema: inputSchema }],
    deadLetter: testTopic(dlq, 1),
    maxMessagesPerTransaction: 50,
    lagIntervalMs: 0,
    consumer: { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 },
    handler: (event) => {
      const value = event.value as TestInput;
      return [{ spec: outSpec, schema: outputSchema, value: outputFor(value, 'kafka-it-tx'), key: event.key }];
    },
  });
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    processor.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  await processor.start();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`tx processor failed: ${String(error)}\n`);
  process.exit(1);
});
