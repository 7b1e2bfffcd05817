/**
 * The PromQL a Grafana dashboard and a Prometheus rule file send to Prometheus, as concrete
 * queries: every panel target (panels nested in rows included) and every template variable's
 * label_values() selector with Grafana's variables substituted the way Grafana does for the
 * dashboard's default view, and every alert and recording rule expression. The observability
 * integration test evaluates them against the Prometheus that scrapes a running fleet.
 */

/** One query of a dashboard: a panel target or a template variable's label_values() selector. */
export interface DashboardQuery {
  readonly dashboard: string;
  /** The panel title, or `variable <name>` for a template variable. */
  readonly panel: string;
  readonly refId: string;
  /** The expression as written in the dashboard. */
  readonly raw: string;
  /** The expression with every variable replaced by a concrete value. */
  readonly expr: string;
}

/** One alert or recording rule of a rule file. */
export interface RuleQuery {
  readonly file: string;
  /** `alert <name>` or `record <name>`. */
  readonly rule: string;
  readonly expr: string;
}

/** The values of Grafana's built-in interval variables. */
export interface GrafanaIntervals {
  /** `$__interval`: the step of the panel's time range over its data points. */
  readonly interval: string;
  /** `$__rate_interval`: max($__interval + scrape interval, 4 × scrape interval). */
  readonly rateInterval: string;
  /** `$__range`: the dashboard's time range. */
  readonly range: string;
}

/**
 * Grafana's built-in intervals for a Prometheus data source at its default 15 s scrape
 * interval over a short time range: $__rate_interval is then 4 × 15 s.
 */
export const DEFAULT_INTERVALS: GrafanaIntervals = { interval: '15s', rateInterval: '1m', range: '1h' };

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Returns the milliseconds of a Prometheus duration such as `1m`, `90s` or `1h30m`; throws on anything else. */
export function durationMs(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)(ms|[smhdwy])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== duration) throw new Error(`not a Prometheus duration: "${duration}"`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * DURATION_UNITS_MS[p[2]!]!, 0);
}

function builtIns(intervals: GrafanaIntervals): Map<string, string> {
  const rangeMs = durationMs(intervals.range);
  return new Map([
    ['__interval', intervals.interval],
    ['__interval_ms', String(durationMs(intervals.interval))],
    ['__rate_interval', intervals.rateInterval],
    ['__rate_interval_ms', String(durationMs(intervals.rateInterval))],
    ['__range', intervals.range],
    ['__range_s', String(Math.floor(rangeMs / 1000))],
    ['__range_ms', String(rangeMs)],
  ]);
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The value a template variable takes in the dashboard's saved view ("All" is its allValue, or `.*`). */
function variableValue(v: Json): string | undefined {
  const current = isObject(v.current) ? v.current.value : undefined;
  const values = Array.isArray(current) ? current.map(String) : current === undefined ? [] : [String(current)];
  if (values.length === 0 || values.includes('$__all')) {
    if (v.type === 'constant' || v.type === 'textbox') return typeof v.query === 'string' ? v.query : undefined;
    return typeof v.allValue === 'string' && v.allValue !== '' ? v.allValue : '.*';
  }
  // Several selected values go to a regex matcher as an alternation, as Grafana formats them.
  return values.length === 1 ? values[0] : `(${values.join('|')})`;
}

/** Returns every variable a dashboard's expressions may use: the built-ins and its template variables. */
export function variableValues(dashboard: unknown, intervals: GrafanaIntervals = DEFAULT_INTERVALS): Map<string, string> {
  const values = builtIns(intervals);
  const templating = isObject(dashboard) && isObject(dashboard.templating) ? dashboard.templating.list : undefined;
  for (const v of listOf(templating)) {
    const value = variableValue(v);
    if (typeof v.name === 'string' && value !== undefined) values.set(v.name, value);
  }
  return values;
}

/**
 * Replaces Grafana's variable references in `expr` (`$name`, `${name}`, `${name:format}`,
 * `[[name]]`) by their values; throws naming the first variable that has none.
 */
export function substituteVariables(expr: string, values: ReadonlyMap<string, string>): string {
  return expr.replace(/\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)/g, (match, braced?: string, bracketed?: string, bare?: string) => {
    const name = (braced ?? bracketed ?? bare)!;
    const value = values.get(name);
    if (value === undefined) throw new Error(`${match} is not a variable of the dashboard`);
    return value;
  });
}

/** The panels of a dashboard in order, the panels inside rows (collapsed or not) after their row. */
function panelsOf(panels: unknown): Json[] {
  return listOf(panels).flatMap((p) => [p, ...panelsOf(p.panels)]);
}

/** Returns every query of a dashboard JSON model: its template variables' selectors, then its panels' visible targets. */
export function dashboardQueries(dashboard: string, json: unknown, intervals: GrafanaIntervals = DEFAULT_INTERVALS): DashboardQuery[] {
  if (!isObject(json)) throw new Error(`${dashboard}: not a dashboard JSON model`);
  const values = variableValues(json, intervals);
  const queries: DashboardQuery[] = [];
  const add = (panel: string, refId: string, raw: string): void => {
    try {
      queries.push({ dashboard, panel, refId, raw, expr: substituteVariables(raw, values) });
    } catch (e) {
      throw new Error(`${dashboard}: ${panel} ${refId}: ${(e as Error).message}`);
    }
  };
  for (const v of listOf(isObject(json.templating) ? json.templating.list : undefined)) {
    if (v.type !== 'query') continue;
    const q = isObject(v.query) ? v.query.query : (v.query ?? v.definition);
    const selector = typeof q === 'string' ? /^\s*label_values\((.+),\s*(\w+)\s*\)\s*$/.exec(q) : null;
    if (selector) add(`variable ${String(v.name)}`, String(v.name), `group by (${selector[2]}) (${selector[1]})`);
  }
  for (const panel of panelsOf(json.panels)) {
    for (const t of listOf(panel.targets)) {
      if (t.hide === true || typeof t.expr !== 'string' || t.expr.trim() === '') continue;
      add(String(panel.title ?? `panel ${String(panel.id)}`), String(t.refId ?? ''), t.expr);
    }
  }
  return queries;
}

const RULE_KEY = /^(\s*)(-\s+)?(alert|record|expr)\s*:\s?(.*)$/;

/** The value of a one-line YAML scalar: plain, 'single-quoted' or "double-quoted". */
function inlineScalar(text: string): string {
  const t = text.replace(/\s+#.*$/, '').trim();
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/** The text of a block scalar (`|`, `|-`, `>`, `>-`) whose lines are indented deeper than `keyIndent`. */
function blockScalar(lines: readonly string[], start: number, keyIndent: number, folded: boolean): { text: string; next: number } {
  const body: string[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== '' && line.length - line.trimStart().length <= keyIndent) break;
    body.push(line);
  }
  while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop();
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  const content = body.map((l) => l.slice(indent));
  return { text: folded ? content.join(' ').replace(/\s+/g, ' ').trim() : content.join('\n'), next: i };
}

/**
 * Returns the alert and recording rules of a Prometheus rule file with their expressions.
 * Reads the rule file layout Prometheus documents (a rule is a list item with `alert:` or
 * `record:` and `expr:`, the expression inline or as a block scalar); throws on a rule
 * without a name or an expression.
 */
export function ruleQueries(file: string, yaml: string): RuleQuery[] {
  const lines = yaml.split('\n');
  const rules: RuleQuery[] = [];
  let current: { name?: string; expr?: string; line: number } | undefined;
  const close = (): void => {
    if (!current) return;
    if (!current.name || !current.expr) throw new Error(`${file}:${current.line}: a rule needs alert or record, and expr`);
    rules.push({ file, rule: current.name, expr: current.expr });
    current = undefined;
  };
  for (let i = 0; i < lines.length; ) {
    const m = RULE_KEY.exec(lines[i]!);
    if (!m) {
      // A new list item that is not a rule (a group) ends the rule in hand.
      if (/^\s*-\s/.test(lines[i]!)) close();
      i += 1;
      continue;
    }
    const [, indent, dash, key, rest] = m as unknown as [string, string, string | undefined, 'alert' | 'record' | 'expr', string];
    if (dash) {
      close();
      current = { line: i + 1 };
    }
    if (!current) throw new Error(`${file}:${i + 1}: ${key} outside a rule`);
    const keyIndent = indent.length + (dash?.length ?? 0);
    const block = /^([|>])[-+]?\s*(#.*)?$/.exec(rest.trim());
    let value: string;
    if (block) {
      const b = blockScalar(lines, i + 1, keyIndent, block[1] === '>');
      value = b.text;
      i = b.next;
    } else {
      value = inlineScalar(rest);
      i += 1;
    }
    if (key === 'expr') current.expr = value;
    else if (value !== '') current.name = `${key} ${value}`;
  }
  close();
  return rules;
}
