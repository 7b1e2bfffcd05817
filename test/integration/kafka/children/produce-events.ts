/**
 * Child process: produces `count` deterministic test input events to `topic` through the
 * registry with the idempotent publisher, then exits 0.
 * Usage: tsx produce-events.ts <topic> <partitions> <run> <count>
 */
import { EventPublisher } from '@fleet/kafka';
import { inputEvent, inputSchema, newClient, newCodec, testTopic, type TestInput } from '../fixtures';

async function main(): Promise<void> {
  const [topic, partitions, run, count] = process.argv.slice(2);
  const spec = testTopic<TestInput>(topic, Number(partitions));
  const publisher = new EventPublisher(newClient('kafka-it-child-producer').producer(), newCodec());
  await publisher.connect();
  const n = Number(count);
  for (let start = 0; start < n; start += 100) {
    const events = [];
    for (let seq = start; seq < Math.min(n, start + 100); seq++) {
      const value = inputEvent(run, seq);
      events.push({ spec, schema: inputSchema, value, key: value.instrument });
    }
    await publisher.publish(events);
  }
  await publisher.disconnect();
  process.stdout.write(`produced ${n}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`producer failed: ${String(error)}\n`);
    process.exit(1);
  },
);
