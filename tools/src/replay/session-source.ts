/**
 * A recorded session as the replay, why and verify commands open it: its files under
 * out/sessions/<id>/, the settings of the stack it lives on, and a Kafka client and Avro codec
 * to read its log.
 */
import { type SessionManifest, verifySessionManifest } from '@fleet/audit';
import { AvroCodec, HttpSchemaRegistry, KafkaJsClient, parseBrokers } from '@fleet/kafka';
import { readStoredSession } from '../session/session-files';
import { manifestEnds, type SessionEnds } from './session-reader';

/** A problem the user can fix (a missing setting, an unknown session): printed without a stack trace. */
export class SessionSourceError extends Error {
  override readonly name = 'SessionSourceError';
}

/** The backing stack's settings a command needs. */
export interface StackSettings {
  readonly brokers: string;
  readonly registryUrl: string;
  readonly redisUrl: string;
}

/** Returns the stack settings from the environment; throws naming the first one missing among `needed`. */
export function stackSettings(env: NodeJS.ProcessEnv, needed: readonly ('KAFKA_BROKERS' | 'SCHEMA_REGISTRY_URL' | 'REDIS_URL')[] = ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'REDIS_URL']): StackSettings {
  for (const name of needed) {
    if (!env[name]) throw new SessionSourceError(`${name} is not set; start the stack with \`tools/fleet stack up\` and source .local/stack.env`);
  }
  return { brokers: env.KAFKA_BROKERS ?? '', registryUrl: env.SCHEMA_REGISTRY_URL ?? '', redisUrl: env.REDIS_URL ?? '' };
}

/** A recorded session opened from its directory. */
export interface OpenedSession {
  readonly id: string;
  readonly dir: string;
  readonly manifest: SessionManifest;
  readonly summary: unknown;
  /** The topic prefix of its log: `<id>.`. */
  readonly prefix: string;
  /** The end offsets the manifest recorded, by catalogue topic. */
  readonly ends: SessionEnds;
  /** The session settings every service ran with (the manifest's `config.session`). */
  readonly sessionEnv: Readonly<Record<string, string>>;
}

/** Returns the FLEET_* session settings recorded in a manifest's config, or undefined when it has none. */
export function recordedSessionEnv(config: unknown): Record<string, string> | undefined {
  const session = (config as { session?: unknown } | null)?.session;
  if (typeof session !== 'object' || session === null || Array.isArray(session)) return undefined;
  const entries = Object.entries(session as Record<string, unknown>);
  if (entries.some(([k, v]) => !k.startsWith('FLEET_') || typeof v !== 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Opens session `id` under `outDir`; throws when it is missing, incomplete, tampered with or not a fleet session. */
export function openSession(outDir: string, id: string): OpenedSession {
  const stored = readStoredSession(outDir, id);
  if (!stored) throw new SessionSourceError(`no session ${JSON.stringify(id)} under ${JSON.stringify(outDir)} (tools/fleet sessions list shows the sessions there)`);
  if (stored.readError) throw new SessionSourceError(stored.readError);
  if (stored.manifest === undefined) throw new SessionSourceError(`session ${id} has no manifest.json in ${stored.dir}: it did not finish`);
  const problems = verifySessionManifest(stored.manifest);
  if (problems.length > 0) throw new SessionSourceError(`the manifest of session ${id} is not intact (${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}); tools/fleet sessions verify ${id} says more`);
  const manifest = stored.manifest as SessionManifest;
  const sessionEnv = recordedSessionEnv(manifest.config);
  if (sessionEnv === undefined) throw new SessionSourceError(`session ${id} records no fleet session settings (config.session): it was not run by the fleet main job`);
  return { id, dir: stored.dir, manifest, summary: stored.summary, prefix: `${id}.`, ends: manifestEnds(manifest.topics), sessionEnv };
}

/** Returns a Kafka client and an Avro codec for `stack`. */
export function kafkaOf(stack: StackSettings, clientId: string): { readonly client: KafkaJsClient; readonly codec: AvroCodec } {
  return { client: new KafkaJsClient({ clientId, brokers: parseBrokers(stack.brokers), logLevel: 'NOTHING' }), codec: new AvroCodec(new HttpSchemaRegistry(stack.registryUrl)) };
}
