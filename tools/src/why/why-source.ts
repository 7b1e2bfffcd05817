/** Opens a recorded session for the Why chain: reads its log back from Kafka (up to the manifest's end offsets) and indexes it. */
import { kafkaOf, openSession, stackSettings } from '../replay/session-source';
import { readSessionLog } from '../replay/session-reader';
import { WhyIndex } from './why-chain';

/** Returns the Why index of session `id` under `outDir` and how many records it holds. */
export async function loadWhyIndex(outDir: string, id: string): Promise<{ readonly index: WhyIndex; readonly records: number }> {
  const session = openSession(outDir, id);
  const { client, codec } = kafkaOf(stackSettings(process.env, ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL']), 'fleet-why');
  const log = await readSessionLog({ client, codec, prefix: session.prefix, ends: session.ends });
  return { index: new WhyIndex(log.records), records: log.records.length };
}
