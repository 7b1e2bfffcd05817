/**
 * The Grafana dashboards of the fleet, as data. generate-k8s.ts writes them to
 * infra/grafana/dashboards/<name>.json and into the chart (helm/fleet/dashboards/), which
 * provisions them as ConfigMaps for the Grafana sidecar. Every metric name used here is in
 * docs/metrics.md; validate.ts lints the dashboards and checks that.
 */

/** A Grafana dashboard JSON model (schemaVersion 39). */
export type Dashboard = Record<string, unknown>;

interface Target {
  readonly expr: string;
  readonly legend: string;
}

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly type?: 'timeseries' | 'stat';
  readonly unit: string;
  readonly targets: readonly Target[];
  /** Width in grid units (24 = full row); 12 by default. */
  readonly w?: number;
  readonly thresholds?: readonly { value: number | null; color: string }[];
}

interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

const DS = { type: 'prometheus', uid: '${datasource}' } as const;

/** `{service=~"$service"}`-style selector fragments used by the queries. */
const SVC = 'service=~"$service"';
const INS = 'instrument=~"$instrument"';

function datasourceVar(): Record<string, unknown> {
  return { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1, regex: '', options: [] };
}

function queryVar(name: string, label: string, metric: string, labelName: string): Record<string, unknown> {
  return {
    name,
    label,
    type: 'query',
    datasource: DS,
    query: { query: `label_values(${metric}, ${labelName})`, refId: `${name}-var` },
    definition: `label_values(${metric}, ${labelName})`,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
    hide: 0,
    options: [],
    regex: '',
  };
}

function panel(p: PanelSpec, id: number, x: number, y: number): Record<string, unknown> {
  const w = p.w ?? 12;
  const type = p.type ?? 'timeseries';
  return {
    id,
    type,
    title: p.title,
    description: p.description,
    datasource: DS,
    gridPos: { h: type === 'stat' ? 5 : 8, w, x, y },
    fieldConfig: {
      defaults: {
        unit: p.unit,
        thresholds: { mode: 'absolute', steps: p.thresholds ?? [{ value: null, color: 'green' }] },
        ...(type === 'timeseries' ? { custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never' } } : {}),
      },
      overrides: [],
    },
    options:
      type === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'auto' }
        : { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: p.targets.map((t, i) => ({ datasource: DS, expr: t.expr, legendFormat: t.legend, refId: String.fromCharCode(65 + i), range: true })),
  };
}

function dashboard(uid: string, title: string, description: string, vars: readonly Record<string, unknown>[], rows: readonly RowSpec[]): Dashboard {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.w ?? 12;
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const built = panel(p, id++, x, y);
      rowHeight = Math.max(rowHeight, (built.gridPos as { h: number }).h);
      panels.push(built);
      x += w;
    }
    y += rowHeight;
  }
  return {
    uid,
    title,
    description,
    tags: ['fleet'],
    timezone: 'utc',
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-3h', to: 'now' },
    timepicker: {},
    annotations: { list: [] },
    links: [{ title: 'Fleet dashboards', type: 'dashboards', tags: ['fleet'], asDropdown: true, includeVars: true, keepTime: true }],
    templating: { list: [datasourceVar(), ...vars] },
    panels,
  };
}

const serviceVar = queryVar('service', 'Service', 'events_in_total', 'service');
const instrumentVar = queryVar('instrument', 'Instrument', 'fleet_fair_value', 'instrument');

function fleetOverview(): Dashboard {
  return dashboard('fleet-overview', 'Fleet / Overview', 'Event rates, handler latencies, consumer lag, errors and dead letters of every service.', [serviceVar], [
    {
      title: 'Health',
      panels: [
        { title: 'Pods up', description: 'Scraped pods answering /metrics, by service.', type: 'stat', unit: 'short', w: 8, targets: [{ expr: `sum by (service) (up{${SVC}})`, legend: '{{service}}' }], thresholds: [{ value: null, color: 'red' }, { value: 1, color: 'green' }] },
        { title: 'Dead letters (1h)', description: 'Messages sent to the dead-letter topic in the last hour.', type: 'stat', unit: 'short', w: 8, targets: [{ expr: `sum by (service) (increase(dead_letter_total{${SVC}}[1h]))`, legend: '{{service}}' }], thresholds: [{ value: null, color: 'green' }, { value: 1, color: 'red' }] },
        { title: 'Max consumer lag', description: 'Largest lag of any partition, by service.', type: 'stat', unit: 'short', w: 8, targets: [{ expr: `max by (service) (consumer_lag{${SVC}})`, legend: '{{service}}' }], thresholds: [{ value: null, color: 'green' }, { value: 1000, color: 'orange' }, { value: 10000, color: 'red' }] },
      ],
    },
    {
      title: 'Throughput',
      panels: [
        { title: 'Events in', description: 'Events consumed per second, by service and topic.', unit: 'ops', targets: [{ expr: `sum by (service, topic) (rate(events_in_total{${SVC}}[$__rate_interval]))`, legend: '{{service}} ← {{topic}}' }] },
        { title: 'Events out', description: 'Events produced per second, by service and topic.', unit: 'ops', targets: [{ expr: `sum by (service, topic) (rate(events_out_total{${SVC}}[$__rate_interval]))`, legend: '{{service}} → {{topic}}' }] },
      ],
    },
    {
      title: 'Latency and lag',
      panels: [
        { title: 'Handler latency p99', description: '99th percentile time from decoded event to handler done.', unit: 's', targets: [{ expr: `histogram_quantile(0.99, sum by (service, topic, le) (rate(handler_latency_seconds_bucket{${SVC}}[$__rate_interval])))`, legend: '{{service}} {{topic}}' }] },
        { title: 'Handler latency p50', description: 'Median time from decoded event to handler done.', unit: 's', targets: [{ expr: `histogram_quantile(0.5, sum by (service, topic, le) (rate(handler_latency_seconds_bucket{${SVC}}[$__rate_interval])))`, legend: '{{service}} {{topic}}' }] },
        { title: 'Consumer lag', description: 'High watermark minus committed offset, summed over partitions.', unit: 'short', targets: [{ expr: `sum by (service, topic) (consumer_lag{${SVC}})`, legend: '{{service}} {{topic}}' }] },
        { title: 'Dead letters', description: 'Dead letters per second by source topic and reason.', unit: 'ops', targets: [{ expr: `sum by (service, topic, reason) (rate(dead_letter_total{${SVC}}[$__rate_interval]))`, legend: '{{service}} {{topic}} {{reason}}' }] },
      ],
    },
    {
      title: 'Errors and process',
      panels: [
        { title: 'Order rejections', description: 'Orders rejected by venues, per second.', unit: 'ops', w: 8, targets: [{ expr: `sum by (venue, reason) (rate(fleet_order_rejections_total[$__rate_interval]))`, legend: '{{venue}} {{reason}}' }] },
        { title: 'Resident memory', description: 'Resident set size per pod.', unit: 'bytes', w: 8, targets: [{ expr: `sum by (service, instance) (process_resident_memory_bytes{${SVC}})`, legend: '{{instance}}' }] },
        { title: 'CPU and event loop', description: 'CPU seconds per second, and p99 event-loop lag, per pod.', unit: 's', w: 8, targets: [{ expr: `sum by (instance) (rate(process_cpu_seconds_total{${SVC}}[$__rate_interval]))`, legend: 'cpu {{instance}}' }, { expr: `max by (instance) (nodejs_eventloop_lag_p99_seconds{${SVC}})`, legend: 'loop p99 {{instance}}' }] },
      ],
    },
  ]);
}

function strategy(): Dashboard {
  return dashboard('fleet-strategy', 'Fleet / Strategy', 'Fair value, spreads, inventory, PnL, risk regime and kill switch per instrument.', [instrumentVar], [
    {
      title: 'Risk state',
      panels: [
        { title: 'Kill switch', description: '1 while the kill switch is latched.', type: 'stat', unit: 'bool_on_off', targets: [{ expr: `max by (instrument) (fleet_kill_switch{${INS}})`, legend: '{{instrument}}' }], thresholds: [{ value: null, color: 'green' }, { value: 1, color: 'red' }] },
        { title: 'Risk regime', description: '0 normal, 1 cautious, 2 halted.', type: 'stat', unit: 'short', targets: [{ expr: `max by (instrument) (fleet_risk_regime{${INS}})`, legend: '{{instrument}}' }], thresholds: [{ value: null, color: 'green' }, { value: 1, color: 'orange' }, { value: 2, color: 'red' }] },
      ],
    },
    {
      title: 'Fair value',
      panels: [
        { title: 'Fair value', description: 'Fair value per instrument.', unit: 'none', targets: [{ expr: `max by (instrument) (fleet_fair_value{${INS}})`, legend: '{{instrument}}' }] },
        { title: 'Effective volatility and gating', description: 'sigma_eff per instrument; gated = 1 while too few venues are fresh.', unit: 'none', targets: [{ expr: `max by (instrument) (fleet_sigma_eff{${INS}})`, legend: 'sigma {{instrument}}' }, { expr: `max by (instrument) (fleet_fv_gated{${INS}})`, legend: 'gated {{instrument}}' }] },
      ],
    },
    {
      title: 'Quoting and inventory',
      panels: [
        { title: 'Quote spread', description: 'Distance of resting quotes from fair value, bps.', unit: 'none', targets: [{ expr: `max by (instrument, venue, side) (fleet_quote_spread_bps{${INS}})`, legend: '{{instrument}} {{venue}} {{side}}' }] },
        { title: 'Inventory per venue', description: 'Net position in base units.', unit: 'none', targets: [{ expr: `sum by (instrument, venue) (fleet_inventory{${INS}})`, legend: '{{instrument}} {{venue}}' }] },
        { title: 'PnL', description: 'Realised, unrealised and total PnL.', unit: 'none', targets: [{ expr: `sum by (instrument, kind) (fleet_pnl{${INS}})`, legend: '{{instrument}} {{kind}}' }] },
        { title: 'Fills and open orders', description: 'Fills per second by venue and liquidity; resting orders per venue.', unit: 'short', targets: [{ expr: 'sum by (venue, liquidity) (rate(fleet_fills_total[$__rate_interval]))', legend: 'fills {{venue}} {{liquidity}}' }, { expr: 'sum by (venue) (fleet_open_orders)', legend: 'open {{venue}}' }] },
      ],
    },
  ]);
}

function capital(): Dashboard {
  return dashboard('fleet-capital', 'Fleet / Capital', 'Budget utilisation, reservations, commitments and rejections.', [], [
    {
      title: 'Budgets',
      panels: [
        { title: 'Budget utilisation', description: '(reserved + committed) / allocated per bucket.', unit: 'percentunit', targets: [{ expr: 'max by (bucket) (fleet_budget_utilisation_ratio)', legend: '{{bucket}}' }], thresholds: [{ value: null, color: 'green' }, { value: 0.8, color: 'orange' }, { value: 0.95, color: 'red' }] },
        { title: 'Reserved and committed', description: 'Amounts reserved by open orders and committed by fills, per bucket.', unit: 'none', targets: [{ expr: 'sum by (bucket) (fleet_budget_reserved)', legend: 'reserved {{bucket}}' }, { expr: 'sum by (bucket) (fleet_budget_committed)', legend: 'committed {{bucket}}' }] },
        { title: 'Budget rejections', description: 'Reservations refused per second, by reason.', unit: 'ops', targets: [{ expr: 'sum by (reason) (rate(fleet_budget_rejections_total[$__rate_interval]))', legend: '{{reason}}' }] },
        { title: 'Risk decisions', description: 'Intents approved and denied per second, by reason.', unit: 'ops', targets: [{ expr: 'sum by (decision, reason) (rate(fleet_risk_decisions_total[$__rate_interval]))', legend: '{{decision}} {{reason}}' }] },
      ],
    },
  ]);
}

function audit(): Dashboard {
  return dashboard('fleet-audit', 'Fleet / Audit', 'Audit hash chain head, lag behind the WAL, overflows and checkpoints.', [], [
    {
      title: 'Chain',
      panels: [
        { title: 'Chain height', description: 'Records hash-chained so far.', type: 'stat', unit: 'short', w: 8, targets: [{ expr: 'max(fleet_audit_chain_height)', legend: 'height' }] },
        { title: 'Since last checkpoint', description: 'Seconds since the last audit.checkpoint.', type: 'stat', unit: 's', w: 8, targets: [{ expr: 'time() - max(fleet_audit_last_checkpoint_timestamp_seconds)', legend: 'age' }], thresholds: [{ value: null, color: 'green' }, { value: 600, color: 'red' }] },
        { title: 'Overflows (1h)', description: 'Audit buffer overflows in the last hour.', type: 'stat', unit: 'short', w: 8, targets: [{ expr: 'sum(increase(fleet_audit_overflow_total[1h]))', legend: 'overflows' }], thresholds: [{ value: null, color: 'green' }, { value: 1, color: 'red' }] },
        { title: 'Chain growth', description: 'Records appended to the audit chain per second.', unit: 'ops', targets: [{ expr: 'sum(rate(fleet_audit_records_total[$__rate_interval]))', legend: 'chained/s' }] },
        { title: 'Audit lag', description: 'WAL records not yet chained, and the audit writer consumer lag.', unit: 'short', targets: [{ expr: 'max(fleet_audit_lag_records)', legend: 'lag records' }, { expr: 'sum by (topic) (consumer_lag{service="audit-writer"})', legend: 'consumer lag {{topic}}' }] },
      ],
    },
  ]);
}

/** Every dashboard, keyed by its file name (without .json). */
export function buildDashboards(): Map<string, Dashboard> {
  return new Map([
    ['fleet-overview', fleetOverview()],
    ['fleet-strategy', strategy()],
    ['fleet-capital', capital()],
    ['fleet-audit', audit()],
  ]);
}
