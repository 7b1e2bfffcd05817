/** The Why chain as text for the terminal: one numbered step per service, each naming the event it read it from. */
import { type BookLink, type EventRef, type FairValueLink, type Gate, type IntentLink, type OrderChain, type SignalChain } from './why-chain';

function short(id: string): string {
  return id.length > 16 ? `${id.slice(0, 12)}…` : id;
}

function at(ref: EventRef): string {
  return `tick ${ref.tick}, ${ref.topic} ${short(ref.eventId)} (lane ${ref.partition}, offset ${ref.offset})`;
}

function pairs(values: Readonly<Record<string, number | string>>): string {
  const keys = Object.keys(values).sort();
  return keys.length === 0 ? '(none)' : keys.map((k) => `${k}=${values[k]}`).join(' ');
}

function books(list: readonly BookLink[], indent: string): string[] {
  return list.map((b) => `${indent}${b.venue} bid ${b.bid ?? '-'} ask ${b.ask ?? '-'}   ${at(b.ref)}`);
}

function fairValueLines(fv: FairValueLink, n: number): string[] {
  const value = fv.fvAvailable ? `${fv.fairValue} (variance ${fv.variance})` : 'unavailable';
  return [
    `${n}. fair value    ${value} from ${fv.healthyVenuesUsed.length} healthy venue(s): ${fv.healthyVenuesUsed.join(', ') || 'none'} (minimum ${fv.minHealthyVenues})`,
    `                 gating: ${fv.observations.map((o) => `${o.venue} ${o.status}${o.mid === null ? '' : ` mid ${o.mid}`}`).join(', ')}`,
    `                 ${at(fv.ref)}`,
    ...(fv.books.length > 0 ? [`                 from books:`, ...books(fv.books, '                   ')] : []),
  ];
}

function intentLines(i: IntentLink, n: number): string[] {
  const what = i.action === 'CANCEL' ? `CANCEL ${i.targetClientOrderId ?? ''} on ${i.venue}` : `${i.action} ${i.side} ${i.size} @ ${i.price} ${i.timeInForce} on ${i.venue}`;
  return [
    `${n}. intent        ${i.ref.producer} ${i.kind} ${what} (intent ${short(i.intentId)}, fair value ${i.fairValue ?? '-'})`,
    `                 model inputs: ${pairs(i.modelInputs)}`,
    `                 model labels: ${pairs(i.modelLabels)}`,
    `                 ${at(i.ref)}`,
  ];
}

function gateLine(gate: Gate): string {
  switch (gate.gate) {
    case 'sent':
      return 'sent to the venue';
    case 'risk':
      return `blocked by risk-shield: ${gate.reason}`;
    case 'budget':
      return `blocked by budget-ledger: ${gate.reasons.join(', ')}`;
    case 'undecided':
      return 'not decided in the log (risk-shield has no decision on it)';
  }
}

/** Returns the order chain as numbered lines. */
export function formatOrderChain(c: OrderChain): string {
  const lines = [`why ${c.focusFillId !== null ? `fill ${c.focusFillId}` : c.clientOrderId !== null ? `order ${c.clientOrderId}` : `intent ${c.intent.intentId}`} (${c.instrument}): ${gateLine(c.gate)}`];
  let n = 1;
  if (c.books.length > 0) {
    lines.push(`${n++}. market data`);
    lines.push(...books(c.books, '                 '));
  }
  if (c.fairValue !== null) lines.push(...fairValueLines(c.fairValue, n++));
  lines.push(...intentLines(c.intent, n++));
  if (c.risk === null) lines.push(`${n++}. risk          no decision in the log`);
  else {
    const state = c.risk.state === null ? '' : `; kill switch ${c.risk.state.killSwitch ? `latched (${c.risk.state.killReason})` : 'off'}, net delta ${c.risk.state.netDelta}, daily PnL ${c.risk.state.dailyPnl}`;
    lines.push(`${n++}. risk          ${c.risk.outcome}${c.risk.reason === null ? '' : ` (${c.risk.reason})`}, regime ${c.risk.regime}${state}`, `                 ${at(c.risk.ref)}`);
  }
  if (c.budget.length > 0) {
    lines.push(`${n++}. budget`);
    for (const b of c.budget) {
      const detail = b.kind === 'DENIED' ? `refused ${b.amount} ${b.currency}: ${b.rejectReasons.join(', ')}` : `${b.amount} ${b.currency} (reserved ${b.reservedAfter}, committed ${b.committedAfter} of ${b.allocatedAfter})`;
      lines.push(`                 ${b.kind} ${detail}   ${at(b.ref)}`);
    }
  }
  if (c.command !== null) {
    const p = c.command.placement;
    lines.push(`${n++}. command       ${c.command.kind} ${c.command.clientOrderId ?? ''} on ${c.command.venue}${p === null ? '' : `: ${p.side} ${p.size} @ ${p.price} ${p.timeInForce}, reserved ${p.reservedAmount}`}`, `                 ${at(c.command.ref)}`);
  }
  if (c.venueEvents.length > 0) {
    lines.push(`${n++}. venue`);
    for (const e of c.venueEvents) {
      const mark = e.fill !== null && e.fill.fillId === c.focusFillId ? '>' : ' ';
      const detail =
        e.fill !== null
          ? `${e.fill.quantity} @ ${e.fill.price} ${e.fill.liquidity}, fee ${e.fill.fee} ${e.fill.feeCurrency} (fill ${short(e.fill.fillId)})`
          : e.reject !== null
            ? `${e.reject.reason}: ${e.reject.message}`
            : e.cancel !== null
              ? `${e.cancel.cancelledQuantity} cancelled${e.cancel.requested ? ' on request' : ' by the venue'}`
              : (e.venueOrderId ?? '');
      lines.push(`               ${mark} ${e.kind} ${detail}   ${at(e.ref)}`);
      if (e.position !== null) {
        const p = e.position;
        lines.push(`                   position on ${p.venue}: ${p.quantityBefore} -> ${p.quantity}, realised PnL ${p.realisedPnl} (${p.realisedPnlChange.startsWith('-') ? '' : '+'}${p.realisedPnlChange}), unrealised ${p.unrealisedPnl ?? '-'}, fees ${p.feesPaid}   ${at(p.ref)}`);
      } else if (e.fill !== null) lines.push('                   position: no position.state in the log books this fill');
    }
  }
  return lines.join('\n');
}

/** Returns the signal chain as lines: the fair value, then every intent citing it and where it went. */
export function formatSignalChain(c: SignalChain): string {
  const lines = [`why signal ${c.fairValue.ref.eventId} (${c.instrument}): ${c.outcome}`, ...fairValueLines(c.fairValue, 1)];
  if (c.decidedOn !== null) lines.push(`   decided on    the tick's last fair value: ${at(c.decidedOn)}`);
  if (c.riskStates.length > 0) {
    for (const s of c.riskStates) lines.push(`   risk state    kill switch ${s.killSwitch ? `latched (${s.killReason})` : 'off'}, net delta ${s.netDelta}, daily PnL ${s.dailyPnl}   ${at(s.ref)}`);
  }
  c.intents.forEach((i, k) => {
    lines.push(...intentLines(i.intent, k + 2));
    lines.push(`                 -> ${gateLine(i.gate)}${i.clientOrderId === null ? '' : ` (order ${i.clientOrderId})`}`);
  });
  return lines.join('\n');
}
