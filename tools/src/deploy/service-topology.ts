/**
 * THE deployment topology of the fleet: which topics each service consumes and produces, its
 * consumer group and its transactional ids. The KafkaUser ACLs (k8s/kafka/users.yaml), the
 * per-service facts of the Helm chart (helm/fleet/files/topology.yaml: partition ceilings,
 * single-replica services, data volumes) and the NetworkPolicies are generated from this table
 * by generate-k8s.ts.
 *
 * Topic names come from the catalogue (libs/contracts/src/topics.ts), never as literals.
 */
import { Topics, WAL_TOPICS, type CatalogueTopic } from '@fleet/contracts';

/** Every service of the fleet, in pipeline order. */
export const SERVICES = [
  'market-gateway',
  'fair-value',
  'quoting',
  'hedge',
  'exit',
  'risk-shield',
  'budget-ledger',
  'execution-router',
  'audit-writer',
] as const;

/** A service name. */
export type ServiceName = (typeof SERVICES)[number];

/** What one service reads and writes on Kafka, and what else it reaches. */
export interface ServiceTopology {
  readonly name: ServiceName;
  /** Topics the service consumes (group `fleet.<service>`). */
  readonly consumes: readonly CatalogueTopic[];
  /** Topics the service produces. */
  readonly produces: readonly CatalogueTopic[];
  /** Whether the service writes transactionally (read-process-write); false for market-gateway. */
  readonly transactional: boolean;
  /** Whether the service needs the exchange API keys (only execution-router; market-gateway reads public data). */
  readonly exchangeKeys: boolean;
  /** Whether the service talks to venues over the internet (egress beyond the cluster). */
  readonly venueEgress: boolean;
  /** Whether the service uses Redis hot state. */
  readonly redis: boolean;
}

const MD_TOPICS: readonly CatalogueTopic[] = [Topics.mdBook, Topics.mdTrade, Topics.mdFunding, Topics.mdMark, Topics.mdIndex];
/** Outputs every decision service adds: its input journal and dead letters. */
const DECISION_OUTPUTS: readonly CatalogueTopic[] = [Topics.journalInput, Topics.deadLetter];

function svc(name: ServiceName, consumes: readonly CatalogueTopic[], produces: readonly CatalogueTopic[], extra: Partial<Omit<ServiceTopology, 'name' | 'consumes' | 'produces'>> = {}): ServiceTopology {
  return {
    name,
    consumes,
    produces,
    transactional: extra.transactional ?? true,
    exchangeKeys: extra.exchangeKeys ?? false,
    venueEgress: extra.venueEgress ?? false,
    redis: extra.redis ?? true,
  };
}

/**
 * The fleet map: each lane service's inputs in the order it declares them (services/<name>/src/<name>.lane.ts).
 * position.state is produced by budget-ledger, as the catalogue says. market-gateway reads
 * order.event only for the tick marks of execution-router (its lock-step clock).
 */
export const TOPOLOGY: readonly ServiceTopology[] = [
  svc('market-gateway', [Topics.orderEvent], MD_TOPICS, { transactional: false, venueEgress: true }),
  svc('fair-value', [Topics.mdBook], [Topics.fvState, ...DECISION_OUTPUTS]),
  svc('quoting', [Topics.mdBook, Topics.fvState, Topics.riskState, Topics.orderEvent], [Topics.strategyIntent, ...DECISION_OUTPUTS]),
  svc('hedge', [Topics.mdBook, Topics.mdFunding, Topics.fvState, Topics.riskState, Topics.orderEvent], [Topics.strategyIntent, ...DECISION_OUTPUTS]),
  svc('exit', [Topics.mdBook, Topics.mdMark, Topics.mdFunding, Topics.fvState, Topics.riskState, Topics.orderEvent], [Topics.strategyIntent, ...DECISION_OUTPUTS]),
  svc('risk-shield', [Topics.fvState, Topics.orderEvent, Topics.strategyIntent], [Topics.riskState, Topics.riskDecision, ...DECISION_OUTPUTS]),
  svc('budget-ledger', [Topics.riskDecision, Topics.orderEvent, Topics.mdMark, Topics.mdFunding], [Topics.orderCommand, Topics.budgetDelta, Topics.positionState, ...DECISION_OUTPUTS]),
  svc('execution-router', [Topics.mdBook, Topics.mdTrade, Topics.riskState, Topics.orderCommand], [Topics.orderEvent, ...DECISION_OUTPUTS], { exchangeKeys: true, venueEgress: true }),
  svc('audit-writer', WAL_TOPICS, [Topics.auditCheckpoint]),
];

/**
 * Services that must run as exactly one pod, with the reason the chart gives when asked for more
 * replicas or an HPA. A rolling update would briefly run two, so they are replaced with Recreate.
 */
export const SINGLE_REPLICA: Readonly<Partial<Record<ServiceName, string>>> = {
  'market-gateway': 'it is the session clock: a second pod would publish every tick twice',
  'audit-writer': 'one pod writes one hash-chained trail on its volume',
};

/**
 * Services that keep files on a persistent volume, and the setting that names the directory
 * (the containers' root filesystem is read-only): audit-writer's trail (docs/services.md).
 */
export const DATA_DIR_SETTING: Readonly<Partial<Record<ServiceName, string>>> = {
  'audit-writer': 'FLEET_AUDIT_DIR',
};

/** The consumer group of a service: `fleet.<service>`. */
export function groupIdOf(service: ServiceName): string {
  return `fleet.${service}`;
}

/**
 * The transactional-id prefixes a service may use. `fleet.<service>.` is the documented
 * prefix; `fleet.<service>-` covers libs/kafka transactionalIdFor(group, topic, partition),
 * which yields `<group>-<topic>-<partition>` with group `fleet.<service>`.
 */
export function transactionalIdPrefixesOf(service: ServiceName): readonly string[] {
  return [`fleet.${service}.`, `fleet.${service}-`];
}

/**
 * The HPA replica ceiling of a consuming service: the smallest partition count among its
 * instrument-keyed (co-partitioned) input topics. Those are the unit of parallelism: a pod
 * beyond that count gets no instrument partition and sits idle. Unkeyed single-partition
 * inputs (control.command) are read by every pod and do not bound the ceiling. market-gateway,
 * the session clock (it writes without a transaction and reads order.event only for tick marks),
 * does not scale by partitions: undefined.
 */
export function partitionCeilingOf(t: ServiceTopology): number | undefined {
  if (t.consumes.length === 0 || !t.transactional) return undefined;
  const keyed = t.consumes.filter((topic) => topic.key === 'instrument');
  const inputs = keyed.length > 0 ? keyed : t.consumes;
  return Math.min(...inputs.map((topic) => topic.partitions));
}

/** Returns the topology of a service; throws naming it if there is none. */
export function topologyOf(service: string): ServiceTopology {
  const t = TOPOLOGY.find((s) => s.name === service);
  if (!t) throw new RangeError(`No service named ${JSON.stringify(service)} in the topology`);
  return t;
}
