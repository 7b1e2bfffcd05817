/**
 * What a fleet session left in the log, and everything the main job derives from it: the
 * session digest, the summary counters and PnL, and the tick-to-order-command latency. Pure:
 * the records in, the figures out; the same log gives the same digest however it was read.
 */
import { type BudgetDelta, type OrderCommand, type OrderEvent, type PositionState, type RiskDecision, type RiskState, Topics } from '@fleet/contracts';
import { canonicalBytes, chainDigest, decimalText, type Digest, ExactDecimal, sha256Hex } from '@fleet/core';

/** One decoded data record of the session's log. */
export interface LoggedRecord {
  /** The catalogue topic name (without the session's prefix). */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly tick: number;
  readonly producer: string;
  /** The broker's record timestamp, in milliseconds (telemetry only). */
  readonly timestampMs: number;
  readonly value: { readonly envelope: { readonly eventId: string; readonly digest: string; readonly causation: readonly string[] } } & Record<string, unknown>;
}

/** The topics of one tick in pipeline order: the digest and the summary read them in this order. */
export const PIPELINE_ORDER: readonly string[] = [
  Topics.mdBook.name,
  Topics.mdTrade.name,
  Topics.mdFunding.name,
  Topics.mdMark.name,
  Topics.mdIndex.name,
  Topics.fvState.name,
  Topics.strategyIntent.name,
  Topics.riskState.name,
  Topics.riskDecision.name,
  Topics.budgetDelta.name,
  Topics.orderCommand.name,
  Topics.positionState.name,
  Topics.orderEvent.name,
];

/** The first link of every fleet session digest. */
export const FLEET_SESSION_GENESIS: Digest = sha256Hex('fleet/fleet-session-digest/v1');

/**
 * Returns the records in the session's canonical order: tick, lane, topic in pipeline order,
 * producer, offset. Within one producer's partition the offsets follow its handler's order, so
 * this order is a function of the decisions alone, not of how producers interleaved.
 */
export function canonicalOrder(records: readonly LoggedRecord[]): LoggedRecord[] {
  const rank = new Map(PIPELINE_ORDER.map((t, i) => [t, i]));
  return records
    .filter((r) => rank.has(r.topic))
    .sort(
      (a, b) =>
        a.tick - b.tick ||
        a.partition - b.partition ||
        rank.get(a.topic)! - rank.get(b.topic)! ||
        (a.producer < b.producer ? -1 : a.producer > b.producer ? 1 : 0) ||
        (BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0),
    );
}

/** Returns the session digest: a hash chain over every event's id and payload digest, in canonical order. */
export function sessionDigest(records: readonly LoggedRecord[]): Digest {
  let digest = FLEET_SESSION_GENESIS;
  for (const r of canonicalOrder(records)) digest = chainDigest(digest, canonicalBytes({ topic: r.topic, eventId: r.value.envelope.eventId, digest: r.value.envelope.digest }));
  return digest;
}

/** The fleet session's summary, in the fields of the one summary format. */
export interface FleetSessionFigures {
  readonly ticks: number;
  readonly events: number;
  readonly decisions: number;
  readonly quotes: number;
  readonly hedges: number;
  readonly exits: number;
  readonly cancels: number;
  readonly fills: number;
  readonly makerFills: number;
  readonly takerFills: number;
  readonly rejects: number;
  readonly riskDenials: number;
  readonly budgetDenials: number;
  readonly quotesByVenue: Readonly<Record<string, number>>;
  readonly fillsByVenue: Readonly<Record<string, number>>;
  readonly positions: Readonly<Record<string, string>>;
  readonly pnl: { readonly realised: string; readonly unrealised: string; readonly fees: string; readonly funding: string; readonly total: string };
  readonly maxDrawdown: string;
  readonly killSwitch: boolean;
  readonly killReason: string;
  readonly killedAtUs: number | null;
  readonly digest: Digest;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Returns the summary figures of a session's log. */
export function sessionFigures(records: readonly LoggedRecord[]): FleetSessionFigures {
  const ordered = canonicalOrder(records);
  const kindOfIntent = new Map<string, string>();
  const quotesByVenue: Record<string, number> = {};
  const fillsByVenue: Record<string, number> = {};
  const latestPosition = new Map<string, PositionState>();
  const counts = { quotes: 0, hedges: 0, exits: 0, cancels: 0, fills: 0, makerFills: 0, takerFills: 0, rejects: 0, riskDenials: 0, budgetDenials: 0, decisions: 0 };
  let kill: RiskState | undefined;
  let peak: ExactDecimal | undefined;
  let maxDrawdown = new ExactDecimal(0);
  let tick = -1;
  const equity = (): ExactDecimal => {
    let total = new ExactDecimal(0);
    for (const p of latestPosition.values()) total = total.plus(new ExactDecimal(p.realisedPnl)).plus(new ExactDecimal(p.fundingPnl)).plus(new ExactDecimal(p.unrealisedPnl ?? '0'));
    return total;
  };
  const sample = (): void => {
    const e = equity();
    peak = peak === undefined || e.gt(peak) ? e : peak;
    const dd = peak.minus(e);
    if (dd.gt(maxDrawdown)) maxDrawdown = dd;
  };
  for (const r of ordered) {
    if (r.tick !== tick) {
      if (tick >= 0) sample();
      tick = r.tick;
    }
    if (r.topic === Topics.riskDecision.name) {
      const d = r.value as unknown as RiskDecision;
      counts.decisions++;
      kindOfIntent.set(d.intentId, d.intent.kind);
      if (d.outcome !== 'APPROVED') counts.riskDenials++;
    } else if (r.topic === Topics.budgetDelta.name) {
      if ((r.value as unknown as BudgetDelta).kind === 'DENIED') counts.budgetDenials++;
    } else if (r.topic === Topics.orderCommand.name) {
      const c = r.value as unknown as OrderCommand;
      if (c.kind !== 'PLACE') {
        counts.cancels++;
        continue;
      }
      const kind = c.intentId === null ? undefined : kindOfIntent.get(c.intentId);
      if (kind === 'MM') {
        counts.quotes++;
        bump(quotesByVenue, c.venue);
      } else if (kind === 'HEDGE') counts.hedges++;
      else if (kind === 'EXIT') counts.exits++;
    } else if (r.topic === Topics.orderEvent.name) {
      const e = r.value as unknown as OrderEvent;
      if (e.kind === 'REJECTED') counts.rejects++;
      if (e.fill !== null) {
        counts.fills++;
        bump(fillsByVenue, e.venue);
        if (e.fill.liquidity === 'MAKER') counts.makerFills++;
        else counts.takerFills++;
      }
    } else if (r.topic === Topics.positionState.name) {
      const p = r.value as unknown as PositionState;
      latestPosition.set(`${p.instrument}/${p.venue}`, p);
    } else if (r.topic === Topics.riskState.name) {
      const s = r.value as unknown as RiskState;
      if (s.killSwitch && kill === undefined) kill = s;
    }
  }
  sample();
  let realised = new ExactDecimal(0);
  let unrealised = new ExactDecimal(0);
  let fees = new ExactDecimal(0);
  let funding = new ExactDecimal(0);
  const positions: Record<string, string> = {};
  for (const [key, p] of [...latestPosition].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // position.state's realisedPnl is net of fees; the summary's realised is gross, as in the core session's summary.
    realised = realised.plus(new ExactDecimal(p.realisedPnl)).plus(new ExactDecimal(p.feesPaid));
    unrealised = unrealised.plus(new ExactDecimal(p.unrealisedPnl ?? '0'));
    fees = fees.plus(new ExactDecimal(p.feesPaid));
    funding = funding.plus(new ExactDecimal(p.fundingPnl));
    positions[key] = p.quantity;
  }
  return {
    ticks: tick + 1,
    events: ordered.length,
    ...counts,
    quotesByVenue,
    fillsByVenue,
    positions,
    pnl: { realised: decimalText(realised), unrealised: decimalText(unrealised), fees: decimalText(fees), funding: decimalText(funding), total: decimalText(realised.plus(unrealised).minus(fees).plus(funding)) },
    maxDrawdown: decimalText(maxDrawdown),
    killSwitch: kill !== undefined,
    killReason: kill?.killReason ?? 'None',
    killedAtUs: kill?.killLatchedAtUs ?? null,
    digest: sessionDigest(records),
  };
}

/** The gap between each order command and the market data behind it, in milliseconds of broker time. */
export interface CommandLatency {
  readonly commands: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const MD_TOPICS = new Set([Topics.mdBook.name, Topics.mdTrade.name, Topics.mdFunding.name, Topics.mdMark.name, Topics.mdIndex.name]);

/**
 * Returns the tick-to-order-command latency: for every order command, its record timestamp minus
 * that of the latest market-data event among its causal ancestors (followed through the
 * envelopes' causation), as p50, p99 and max.
 */
export function commandLatency(records: readonly LoggedRecord[]): CommandLatency {
  const byId = new Map(records.map((r) => [r.value.envelope.eventId, r]));
  const mdTime = new Map<string, number | undefined>();
  const latestMd = (eventId: string, depth: number): number | undefined => {
    if (mdTime.has(eventId)) return mdTime.get(eventId);
    const r = byId.get(eventId);
    let t: number | undefined;
    if (r !== undefined && MD_TOPICS.has(r.topic)) t = r.timestampMs;
    else if (r !== undefined && depth < 16) {
      for (const cause of r.value.envelope.causation) {
        const c = latestMd(cause, depth + 1);
        if (c !== undefined && (t === undefined || c > t)) t = c;
      }
    }
    mdTime.set(eventId, t);
    return t;
  };
  const gaps: number[] = [];
  for (const r of records) {
    if (r.topic !== Topics.orderCommand.name) continue;
    const md = latestMd(r.value.envelope.eventId, 0);
    if (md !== undefined) gaps.push(r.timestampMs - md);
  }
  gaps.sort((a, b) => a - b);
  const at = (q: number): number => (gaps.length === 0 ? 0 : gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))]!);
  return { commands: gaps.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: gaps.length === 0 ? 0 : gaps[gaps.length - 1]! };
}
