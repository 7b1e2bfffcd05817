/**
 * THE typed topic catalogue: the only place in the repository where a topic name is
 * written. Producers, consumers, the topic-creation tool, the audit writer and the deployment
 * manifests read it from here.
 */
import { type ContractName, type ContractTypes } from './generated';
import { type TopicSpec } from './topic-spec';

/** A catalogue entry: a TopicSpec whose valueType names a generated record and whose phantom `__value` is that record's type. */
export interface CatalogueTopic<N extends ContractName = ContractName> extends TopicSpec<ContractTypes[N]> {
  readonly valueType: N;
}

/** Returns the value type a topic carries (the `__value` phantom), for typed producers and consumers. */
export type TopicValue<T> = T extends TopicSpec<infer V> ? V : never;

/** Default partition count of instrument-keyed WAL topics. */
export const DEFAULT_WAL_PARTITIONS = 6;

/** retention.ms / retention.bytes value that keeps data indefinitely. */
export const RETAIN_FOREVER = -1;

/** Returns an instrument-keyed write-ahead-log topic: 6 partitions, kept forever, never compacted. */
function walTopic<N extends ContractName>(name: string, valueType: N, description: string, overrides: Partial<Pick<TopicSpec, 'key' | 'partitions'>> = {}): CatalogueTopic<N> {
  return {
    name,
    key: overrides.key ?? 'instrument',
    valueType,
    partitions: overrides.partitions ?? DEFAULT_WAL_PARTITIONS,
    retentionMs: RETAIN_FOREVER,
    retentionBytes: RETAIN_FOREVER,
    cleanupPolicy: 'delete',
    description,
  };
}

/** Every topic of the fleet, keyed by a camelCase name. */
export const Topics = {
  mdBook: walTopic('md.book', 'fleet.data.BookSnapshot', 'Top-of-book levels per venue and instrument, from market-gateway.'),
  mdTrade: walTopic('md.trade', 'fleet.data.Trade', 'Public trades per venue and instrument, from market-gateway.'),
  mdFunding: walTopic('md.funding', 'fleet.data.FundingRate', 'Perpetual funding rates per venue and instrument, from market-gateway.'),
  mdMark: walTopic('md.mark', 'fleet.data.MarkPrice', 'Venue mark prices per instrument, from market-gateway.'),
  mdIndex: walTopic('md.index', 'fleet.data.IndexPrice', 'Venue index prices per instrument, from market-gateway.'),
  fvState: walTopic('fv.state', 'fleet.events.FairValueState', 'Fair value, variance, gating and volatility per instrument, from fair-value.'),
  riskState: walTopic('risk.state', 'fleet.events.RiskState', 'Risk regime, latched kill switch and limit usage per instrument, from risk-shield.'),
  strategyIntent: walTopic('strategy.intent', 'fleet.events.StrategyIntent', 'MM, hedge and exit intents with their model inputs, from quoting, hedge and exit.'),
  riskDecision: walTopic('risk.decision', 'fleet.events.RiskDecision', 'Approval or denial (with reason) of every intent, from risk-shield.'),
  orderCommand: walTopic('order.command', 'fleet.commands.OrderCommand', 'Place, cancel and cancel-all commands after budget reservation, from budget-ledger.'),
  orderEvent: walTopic('order.event', 'fleet.events.OrderEvent', 'Order lifecycle: submitted, acked, rejected, filled, cancelled, position closed, from execution-router.'),
  budgetDelta: walTopic('budget.delta', 'fleet.events.BudgetDelta', 'Allocate, reserve, commit and release deltas of execution budgets, from budget-ledger.'),
  positionState: walTopic('position.state', 'fleet.events.PositionState', 'Position and PnL per instrument, venue and strategy, from budget-ledger.'),
  controlCommand: walTopic('control.command', 'fleet.commands.ControlCommand', 'Audited operator interventions: kill, reset kill latch, pause, resume.', { key: 'none', partitions: 1 }),
  journalInput: walTopic('journal.input', 'fleet.events.InputJournal', 'Consumption order of multi-topic services, written in the same transaction as their outputs.'),
  deadLetter: walTopic('dead-letter', 'fleet.events.DeadLetter', 'Records a consumer could not process, verbatim, with source coordinates and reason.'),
  auditCheckpoint: walTopic('audit.checkpoint', 'fleet.events.AuditCheckpoint', 'Chain heads and offsets sealing each audit segment, from audit-writer.', { key: 'session', partitions: 1 }),
} as const satisfies Record<string, CatalogueTopic>;

/** The camelCase key of a catalogue topic. */
export type TopicKey = keyof typeof Topics;

/** Every topic of the fleet, in catalogue order. */
export const ALL_TOPICS: readonly CatalogueTopic[] = Object.values(Topics);

/**
 * The write-ahead-log topics the audit writer reads and hash-chains: every topic except its
 * own output (audit.checkpoint). Dead letters are included: nothing is dropped silently.
 */
export const WAL_TOPICS: readonly CatalogueTopic[] = ALL_TOPICS.filter((topic) => topic !== Topics.auditCheckpoint);

/** Returns the schema-registry subject of a topic's value under TopicNameStrategy: `<topic>-value`. */
export function subjectFor(topic: TopicSpec | string): string {
  return `${typeof topic === 'string' ? topic : topic.name}-value`;
}

/** Returns the catalogue entry of a topic name; throws naming the received name if there is none. */
export function topicByName(name: string): CatalogueTopic {
  const topic = ALL_TOPICS.find((t) => t.name === name);
  if (!topic) throw new RangeError(`No topic named ${JSON.stringify(name)} in the catalogue`);
  return topic;
}
