import { parseServiceLines, serviceEnvironment } from './service-process';

describe('service processes', () => {
  it('parses the started and lane-started lines among the log lines', () => {
    const lines = [
      'some log line',
      '{"event":"lane-started","service":"quoting","partition":3,"lastTick":-1,"from":"fresh","replayedTicks":0,"detail":"no tick committed yet"}',
      '{"event":"started","service":"quoting","instance":"quoting-replay","group":"g","httpPort":40001,"metricsPort":40001}',
      '{not json',
    ];
    const parsed = parseServiceLines(lines);
    expect(parsed.started).toMatchObject({ group: 'g', httpPort: 40001 });
    expect(parsed.lanes.map((l) => [l.partition, l.from])).toEqual([[3, 'fresh']]);
    expect(parseServiceLines([]).started).toBeUndefined();
  });

  it("builds a replayed service's environment from the session, the replay and the overrides only", () => {
    const env = serviceEnvironment({ PATH: '/bin', FLEET_SCENARIO: 'volatile', FLEET_TOPIC_PREFIX: 'prod.' }, { FLEET_SCENARIO: 'calm', FLEET_SEED: '3' }, { FLEET_TOPIC_PREFIX: 's.replay-x-1.' }, { FLEET_SEED: '4' });
    expect(env).toEqual({ PATH: '/bin', FLEET_SCENARIO: 'calm', FLEET_SEED: '4', FLEET_TOPIC_PREFIX: 's.replay-x-1.' });
  });
});
