import { AVRO_SCHEMAS, CONTRACT_NAMES, type OrderEvent, type RiskDecision } from './generated';
import { ALL_TOPICS, DEFAULT_WAL_PARTITIONS, subjectFor, topicByName, Topics, type TopicValue, WAL_TOPICS } from './topics';

/** Compile-time equality of two types: only `true` is assignable when they are the same. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('topic catalogue', () => {
  it('has unique topic names and unique subjects', () => {
    const names = ALL_TOPICS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(ALL_TOPICS.map(subjectFor)).size).toBe(names.length);
  });

  it('lists every entry of Topics in ALL_TOPICS', () => {
    expect(ALL_TOPICS).toEqual(Object.values(Topics));
    expect(ALL_TOPICS.length).toBe(17);
  });

  it('uses legal Kafka topic names', () => {
    for (const topic of ALL_TOPICS) expect(topic.name).toMatch(/^[a-z][a-z0-9.-]{0,248}$/);
  });

  it('carries on every topic a record type that the generated schema registry holds', () => {
    for (const topic of ALL_TOPICS) {
      expect(CONTRACT_NAMES).toContain(topic.valueType);
      const schema = AVRO_SCHEMAS[topic.valueType];
      expect(schema).toBeDefined();
      expect(schema.type).toBe('record');
      expect(`${String(schema.namespace)}.${String(schema.name)}`).toBe(topic.valueType);
    }
  });

  it('gives every carried record the common envelope as its first field', () => {
    for (const topic of ALL_TOPICS) {
      const fields = AVRO_SCHEMAS[topic.valueType].fields as { name: string; type: unknown }[];
      expect(fields[0].name).toBe('envelope');
    }
  });

  it('gives instrument-keyed topics an instrument field right after the envelope', () => {
    for (const topic of ALL_TOPICS.filter((t) => t.key === 'instrument' && t !== Topics.deadLetter)) {
      const fields = AVRO_SCHEMAS[topic.valueType].fields as { name: string; type: unknown }[];
      expect([topic.name, fields[1].name, fields[1].type]).toEqual([topic.name, 'instrument', 'string']);
    }
  });

  it('keeps every WAL topic forever: no time-based retention, never compacted', () => {
    expect(WAL_TOPICS.length).toBeGreaterThan(0);
    for (const topic of WAL_TOPICS) {
      expect([topic.name, topic.retentionMs]).toEqual([topic.name, -1]);
      expect([topic.name, topic.cleanupPolicy]).toEqual([topic.name, 'delete']);
      expect(topic.retentionBytes === -1 || topic.retentionBytes >= 1024 ** 3).toBe(true);
    }
  });

  it('makes every topic except the audit output a WAL topic the audit writer reads', () => {
    expect(WAL_TOPICS).not.toContain(Topics.auditCheckpoint);
    expect(WAL_TOPICS).toContain(Topics.deadLetter);
    expect(WAL_TOPICS.length).toBe(ALL_TOPICS.length - 1);
  });

  it('partitions instrument-keyed topics by the default and control topics small', () => {
    for (const topic of ALL_TOPICS.filter((t) => t.key === 'instrument')) expect([topic.name, topic.partitions]).toEqual([topic.name, DEFAULT_WAL_PARTITIONS]);
    expect(Topics.controlCommand.partitions).toBe(1);
    expect(Topics.auditCheckpoint.partitions).toBe(1);
  });

  it('carries its value type in the __value phantom (checked by the compiler)', () => {
    const orderEvent: Same<TopicValue<typeof Topics.orderEvent>, OrderEvent> = true;
    const riskDecision: Same<TopicValue<typeof Topics.riskDecision>, RiskDecision> = true;
    const notCrossed: Same<TopicValue<typeof Topics.riskDecision>, OrderEvent> = false;
    expect([orderEvent, riskDecision, notCrossed]).toEqual([true, true, false]);
    expect(Topics.orderEvent.valueType).toBe('fleet.events.OrderEvent');
  });

  it('names subjects by TopicNameStrategy', () => {
    expect(subjectFor(Topics.orderEvent)).toBe(`${Topics.orderEvent.name}-value`);
    expect(subjectFor(Topics.fvState.name)).toBe(`${Topics.fvState.name}-value`);
  });

  it('finds a topic by name and refuses an unknown name in words', () => {
    expect(topicByName(Topics.riskState.name)).toBe(Topics.riskState);
    expect(() => topicByName('no.such.topic')).toThrow('No topic named "no.such.topic" in the catalogue');
  });
});
