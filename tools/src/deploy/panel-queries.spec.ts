import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboards } from './dashboards';
import { DEFAULT_INTERVALS, dashboardQueries, durationMs, ruleQueries, substituteVariables, variableValues } from '@fleet/fleet-session';
import { REPO_ROOT } from './validate';

const target = (refId: string, expr: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ refId, expr, ...extra });

describe('durationMs', () => {
  it('reads simple and compound Prometheus durations', () => {
    expect(durationMs('1m')).toBe(60_000);
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('1h30m')).toBe(90 * 60_000);
  });

  it('refuses what Prometheus would refuse', () => {
    expect(() => durationMs('5 m')).toThrow(/not a Prometheus duration/);
    expect(() => durationMs('')).toThrow(/not a Prometheus duration/);
    expect(() => durationMs('1m2x')).toThrow(/not a Prometheus duration/);
  });
});

describe('substituteVariables', () => {
  const values = new Map([
    ['service', 'quoting'],
    ['__rate_interval', '2m'],
  ]);

  it('replaces every reference syntax Grafana accepts', () => {
    expect(substituteVariables('rate(x{service=~"$service"}[$__rate_interval])', values)).toBe('rate(x{service=~"quoting"}[2m])');
    expect(substituteVariables('x{service="${service}"} + y{service="${service:regex}"} + z{service="[[service]]"}', values)).toBe('x{service="quoting"} + y{service="quoting"} + z{service="quoting"}');
  });

  it('leaves an expression without variables as it is', () => {
    expect(substituteVariables('time() - max(fleet_audit_last_checkpoint_timestamp_seconds)', values)).toBe('time() - max(fleet_audit_last_checkpoint_timestamp_seconds)');
  });

  it('names a variable the dashboard does not define', () => {
    expect(() => substituteVariables('x{venue=~"$venue"}', values)).toThrow('$venue is not a variable of the dashboard');
  });
});

describe('variableValues', () => {
  it('gives the built-in intervals, derived ones included', () => {
    const v = variableValues({}, { interval: '30s', rateInterval: '2m', range: '3h' });
    expect(v.get('__interval')).toBe('30s');
    expect(v.get('__interval_ms')).toBe('30000');
    expect(v.get('__rate_interval')).toBe('2m');
    expect(v.get('__rate_interval_ms')).toBe('120000');
    expect(v.get('__range')).toBe('3h');
    expect(v.get('__range_s')).toBe('10800');
    expect(v.get('__range_ms')).toBe('10800000');
  });

  it('takes the saved selection of each template variable, All as its allValue', () => {
    const v = variableValues({
      templating: {
        list: [
          { name: 'service', type: 'query', allValue: 'q.*', current: { value: ['$__all'] } },
          { name: 'instrument', type: 'query', current: { value: '$__all' } },
          { name: 'venue', type: 'custom', current: { value: ['venue-a'] } },
          { name: 'side', type: 'custom', current: { value: ['bid', 'ask'] } },
          { name: 'quantile', type: 'constant', query: '0.99' },
        ],
      },
    });
    expect(v.get('service')).toBe('q.*');
    expect(v.get('instrument')).toBe('.*');
    expect(v.get('venue')).toBe('venue-a');
    expect(v.get('side')).toBe('(bid|ask)');
    expect(v.get('quantile')).toBe('0.99');
  });
});

describe('dashboardQueries', () => {
  const dashboard = {
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus' },
        { name: 'service', type: 'query', allValue: '.*', current: { value: ['$__all'] }, query: { query: 'label_values(events_in_total, service)' } },
      ],
    },
    panels: [
      { id: 1, type: 'row', title: 'Open row', panels: [] },
      { id: 2, type: 'stat', title: 'Up', targets: [target('A', 'sum by (service) (up{service=~"$service"})')] },
      {
        id: 3,
        type: 'row',
        title: 'Collapsed row',
        collapsed: true,
        panels: [{ id: 4, type: 'timeseries', title: 'Events in', targets: [target('A', 'sum(rate(events_in_total{service=~"$service"}[$__rate_interval]))'), target('B', 'hidden_metric', { hide: true }), target('C', '  ')] }],
      },
    ],
  };

  it('returns the variable selectors, then every visible target of every panel, rows included', () => {
    expect(dashboardQueries('overview', dashboard)).toEqual([
      { dashboard: 'overview', panel: 'variable service', refId: 'service', raw: 'group by (service) (events_in_total)', expr: 'group by (service) (events_in_total)' },
      { dashboard: 'overview', panel: 'Up', refId: 'A', raw: 'sum by (service) (up{service=~"$service"})', expr: 'sum by (service) (up{service=~".*"})' },
      {
        dashboard: 'overview',
        panel: 'Events in',
        refId: 'A',
        raw: 'sum(rate(events_in_total{service=~"$service"}[$__rate_interval]))',
        expr: `sum(rate(events_in_total{service=~".*"}[${DEFAULT_INTERVALS.rateInterval}]))`,
      },
    ]);
  });

  it('says which dashboard and panel use an undefined variable', () => {
    const broken = { panels: [{ id: 1, type: 'timeseries', title: 'Spread', targets: [target('B', 'x{venue=~"$venue"}')] }] };
    expect(() => dashboardQueries('strategy', broken)).toThrow('strategy: Spread B: $venue is not a variable of the dashboard');
  });

  it('leaves no variable in any query of the generated dashboards, and keeps one query per target', () => {
    for (const [name, d] of buildDashboards()) {
      const queries = dashboardQueries(name, d);
      const panels = d.panels as { targets?: unknown[] }[];
      const variables = (d.templating as { list: { type: string }[] }).list.filter((v) => v.type === 'query');
      expect(queries).toHaveLength(variables.length + panels.reduce((n, p) => n + (p.targets?.length ?? 0), 0));
      for (const q of queries) expect(q.expr).not.toContain('$');
    }
  });

  it('gives the same queries for the same dashboard twice', () => {
    const json = JSON.parse(readFileSync(join(REPO_ROOT, 'infra/grafana/dashboards/fleet-overview.json'), 'utf8')) as unknown;
    expect(dashboardQueries('fleet-overview', json)).toEqual(dashboardQueries('fleet-overview', structuredClone(json)));
  });
});

describe('ruleQueries', () => {
  const file = [
    'groups:',
    '  - name: one',
    '    rules:',
    '      - alert: Inline',
    '        expr: max(x) > 1 # a comment',
    '        for: 5m',
    '        labels:',
    '          severity: critical',
    '      - record: job:y:sum',
    '        expr: "sum by (job) (y{a=\\"b\\"})"',
    '  - name: two',
    '    rules:',
    '      - expr: |',
    '          (rate(z[5m]) > 0.2)',
    '          and',
    '          (rate(z[5m]) > 3 * rate(z[1h]))',
    '',
    '        alert: ExprFirst',
    '        annotations:',
    "          summary: 'z is {{ $value }}'",
    '      - alert: Folded',
    "        expr: >-",
    '          up',
    '          == 0',
    "      - alert: 'Quoted'",
    "        expr: 'w{l=''v''}'",
  ].join('\n');

  it('reads inline, quoted, literal and folded expressions, in any key order', () => {
    expect(ruleQueries('r.yml', file)).toEqual([
      { file: 'r.yml', rule: 'alert Inline', expr: 'max(x) > 1' },
      { file: 'r.yml', rule: 'record job:y:sum', expr: 'sum by (job) (y{a="b"})' },
      { file: 'r.yml', rule: 'alert ExprFirst', expr: '(rate(z[5m]) > 0.2)\nand\n(rate(z[5m]) > 3 * rate(z[1h]))' },
      { file: 'r.yml', rule: 'alert Folded', expr: 'up == 0' },
      { file: 'r.yml', rule: 'alert Quoted', expr: "w{l='v'}" },
    ]);
  });

  it('refuses a rule without an expression', () => {
    expect(() => ruleQueries('bad.yml', 'groups:\n  - name: g\n    rules:\n      - alert: NoExpr\n        for: 1m\n  - name: h\n')).toThrow('bad.yml:4: a rule needs alert or record, and expr');
  });

  it('finds every rule of the fleet rule files', () => {
    const dir = join(REPO_ROOT, 'infra/prometheus/rules');
    for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
      const text = readFileSync(join(dir, name), 'utf8');
      const rules = ruleQueries(name, text);
      expect(rules.map((r) => r.rule)).toEqual([...text.matchAll(/^\s*- (alert|record): (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`));
      for (const r of rules) expect(r.expr).not.toMatch(/^\s|\s$|^[|>]/);
    }
  });
});
