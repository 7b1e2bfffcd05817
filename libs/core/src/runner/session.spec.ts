import { Money } from '../money';
import { calmScenario, venueOutageScenario, volatileScenario } from '../sim/scenario';
import { commandEvent } from '../testing';
import { type Action } from './actions';
import { chainAction, chainFill, runnerConfigForScenario, runSession, SESSION_GENESIS } from './session';

describe('runSession', () => {
  it('a calm session quotes on every venue, gets fills and reports an exact PnL', () => {
    const scenario = calmScenario({ durationUs: 120_000_000 });
    const { summary, digest } = runSession(runnerConfigForScenario(scenario), scenario, 1);
    for (const venue of ['venue-a', 'venue-b', 'venue-c']) {
      expect(summary.quotesByVenue[venue]).toBeGreaterThan(20);
      expect(summary.fillsByVenue[venue]).toBeGreaterThan(0);
    }
    expect(summary.makerFills).toBeGreaterThan(0);
    expect(summary.killSwitch).toBe(false);
    const { realised, unrealised, fees, funding, total } = summary.pnl;
    const m = (x: string): Money => Money.create(x, 'USDT');
    expect(m(realised).plus(m(unrealised)).minus(m(fees)).plus(m(funding)).amountText()).toBe(total);
    expect(Number(summary.maxDrawdown)).toBeGreaterThanOrEqual(0);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a volatile session with a tight loss limit latches the kill switch, after which no order is placed', () => {
    const scenario = volatileScenario({ durationUs: 120_000_000 });
    const config = runnerConfigForScenario(scenario, { strategy: { risk: { dailyLossLimitUsd: 60 } } });
    const { summary, actions } = runSession(config, scenario, 5);
    expect(summary.killSwitch).toBe(true);
    expect(summary.killReason).toBe('DailyLossBreach');
    const kill = actions.findIndex((a) => a.type === 'SetKillSwitch' && a.on);
    expect(kill).toBeGreaterThan(0);
    expect(actions[kill + 1]).toMatchObject({ type: 'CancelAll', reason: 'kill-switch' });
    expect(actions.slice(kill).filter((a) => a.type === 'PlaceOrder')).toEqual([]);
    expect(actions.filter((a) => a.type === 'SetKillSwitch')).toHaveLength(1);
    expect(actions[kill]!.atUs).toBe(summary.killedAtUs);
  });

  it('places nothing on a venue while it is down', () => {
    const scenario = venueOutageScenario({ durationUs: 90_000_000 });
    // From the step that delivers the venue's down event to the one that delivers its up event
    // (at the window's first instant other venues' books can come first, while the runner still sees it up).
    let down = false;
    const onDown: Action[] = [];
    const { actions, summary } = runSession(runnerConfigForScenario(scenario), scenario, 2, {
      onStep: (_before, event, result) => {
        if (event.type === 'venue-status' && event.venue === 'venue-b') down = !event.up;
        if (down) onDown.push(...result.actions.filter((a) => a.type === 'PlaceOrder' && a.venue === 'venue-b'));
      },
    });
    const from = scenario.sim.startTimeUs + 30_000_000;
    const to = scenario.sim.startTimeUs + 60_000_000;
    expect(actions.filter((a) => a.type === 'PlaceOrder' && a.venue === 'venue-b' && a.atUs > from && a.atUs < to)).toEqual([]);
    expect(onDown).toEqual([]);
    expect(actions.some((a) => a.type === 'PlaceOrder' && a.venue === 'venue-b' && a.atUs >= to)).toBe(true);
    expect(summary.quotesByVenue['venue-a']).toBeGreaterThan(0);
  });

  it('an operator kill in the command stream stops new orders and is replayed identically', () => {
    const scenario = calmScenario({ durationUs: 60_000_000 });
    const config = runnerConfigForScenario(scenario);
    const at = scenario.sim.startTimeUs + 30_000_000;
    const commands = [commandEvent({ kind: 'kill', operatorId: 'ops', reason: 'test' }, at)];
    const a = runSession(config, scenario, 4, { commands });
    expect(a.summary.killReason).toBe('OperatorKill');
    expect(a.actions.filter((x: Action) => x.type === 'PlaceOrder' && x.atUs > at)).toEqual([]);
    expect(runSession(config, scenario, 4, { commands }).digest).toBe(a.digest);
    expect(runSession(config, scenario, 4).digest).not.toBe(a.digest);
  });

  it('the digest is the hash chain over the recorded actions and fills in order', () => {
    const scenario = calmScenario({ durationUs: 30_000_000 });
    const result = runSession(runnerConfigForScenario(scenario), scenario, 6);
    // Rebuild the interleaving from the recorded order: each fill is chained just before the step it caused.
    let digest = SESSION_GENESIS;
    const fillIds = new Set(result.fills.map((f) => f.fillId));
    let fi = 0;
    let ai = 0;
    runSession(runnerConfigForScenario(scenario), scenario, 6, {
      recordActions: false,
      onStep: (_b, event, r) => {
        if (event.type === 'fill' && fillIds.has(event.fillId)) digest = chainFill(digest, result.fills[fi++]!);
        for (let k = 0; k < r.actions.length; k++) digest = chainAction(digest, result.actions[ai++]!);
      },
    });
    expect(fi).toBe(result.fills.length);
    expect(ai).toBe(result.actions.length);
    expect(digest).toBe(result.digest);
  });
});

describe('runSession with initial positions', () => {
  const scenario = calmScenario({ durationUs: 60_000_000 });
  const config = runnerConfigForScenario(scenario);
  const m = (x: string): Money => Money.create(x, 'USDT');

  it('starts long 6 on venue-a: the hedge/exit reacts, the PnL identity holds and the run is deterministic', () => {
    const initialPositions = { 'venue-a': '6' };
    let first: number | undefined;
    const a = runSession(config, scenario, 3, { initialPositions, onStep: (before) => (first ??= before.venues[0]!.positionQty) });
    expect(first).toBe(6);
    expect(a.summary.hedges + a.summary.exits).toBeGreaterThan(0);
    expect(a.actions.some((x) => x.type === 'PlaceOrder' && (x.purpose === 'hedge' || x.purpose === 'exit') && x.side === 'sell')).toBe(true);
    const net = Object.values(a.summary.positions).reduce((s, q) => s + Number(q), 0);
    expect(net).not.toBe(6);
    expect(a.summary.positions['venue-a']).not.toBe('6');
    const { realised, unrealised, fees, funding, total } = a.summary.pnl;
    expect(m(realised).plus(m(unrealised)).minus(m(fees)).plus(m(funding)).amountText()).toBe(total);
    expect(runSession(config, scenario, 3, { initialPositions }).digest).toBe(a.digest);
    expect(runSession(config, scenario, 3).digest).not.toBe(a.digest);
  });

  it('changes nothing by default: no, empty or zero initial positions give the same digest as a run without the option', () => {
    const base = runSession(config, scenario, 3).digest;
    expect(runSession(config, scenario, 3, { initialPositions: {} }).digest).toBe(base);
    expect(runSession(config, scenario, 3, { initialPositions: { 'venue-b': '0' } }).digest).toBe(base);
  });

  it('refuses an unknown venue, non-decimal text and sizes off the lot grid, naming the venue and the value', () => {
    expect(() => runSession(config, scenario, 3, { initialPositions: { 'venue-z': '1' } })).toThrow('initialPositions names an unknown venue "venue-z" (received "1"; venues: venue-a, venue-b, venue-c)');
    expect(() => runSession(config, scenario, 3, { initialPositions: { 'venue-a': '1e3' } })).toThrow('initialPositions of venue venue-a must be signed decimal text such as "6" or "-1.5", received "1e3"');
    expect(() => runSession(config, scenario, 3, { initialPositions: { 'venue-a': 6 as never } })).toThrow('initialPositions of venue venue-a must be signed decimal text such as "6" or "-1.5", received 6');
    expect(() => runSession(config, scenario, 3, { initialPositions: { 'venue-a': '0.001' } })).toThrow("initialPositions of venue venue-a must be on the venue's size grid (at most 2 decimals), received \"0.001\"");
  });
});
