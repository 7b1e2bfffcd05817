/**
 * Offline validation of the deployment: the Helm chart (lint and render, dev and prod, the
 * settings every pod gets, the values it refuses), every rendered manifest and every file in
 * k8s/ against the Kubernetes schemas and the vendored Strimzi / Prometheus-operator CRDs, the Prometheus config and alert rules (with their unit
 * tests), the Grafana dashboards, the shared Dockerfile (hadolint), and the generated manifests'
 * freshness.
 *
 * Needs no Kafka, Redis or cluster. The tools are installed by tools/deploy/install-tools.sh
 * (go install through the Go module proxy; promtool from apt); if one cannot be installed the
 * suite FAILS with the reason: nothing is skipped. A cold install builds helm and
 * kubectl-validate from source (several minutes on 2 cores); a warm one takes milliseconds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkGenerated,
  checkRenderedChart,
  checkRuleMetrics,
  ENVIRONMENTS,
  hadolintDockerfile,
  helmLint,
  helmRefusals,
  helmTemplate,
  installTools,
  k8sManifestFiles,
  kubectlValidate,
  lintDashboards,
  promtoolConfig,
  promtoolRules,
  promtoolTests,
  type CheckResult,
  type Tools,
} from './validate';

jest.setTimeout(30 * 60_000);

/** Fails with the check's output so the reason is in the test report. */
function expectOk(r: CheckResult): void {
  if (!r.ok) throw new Error(`${r.name} failed:\n${r.output}`);
  expect(r.ok).toBe(true);
}

describe('deployment validation (offline)', () => {
  let tools: Tools;
  const outDir = mkdtempSync(join(tmpdir(), 'fleet-helm-'));
  const rendered: string[] = [];

  beforeAll(() => {
    // Throws (failing every test below with the reason) if a tool cannot be installed.
    tools = installTools();
  });

  it('the generated k8s manifests, chart topology, dashboards and rule copies are up to date', () => {
    expectOk(checkGenerated());
  });

  describe.each(ENVIRONMENTS)('helm chart with values-%s.yaml', (env) => {
    it('passes helm lint --strict', () => {
      expectOk(helmLint(tools, env));
    });

    it('renders with helm template', () => {
      const r = helmTemplate(tools, env, outDir);
      expectOk(r);
      rendered.push(r.file);
    });
  });

  it('every rendered manifest validates against the Kubernetes schemas and the CRDs', () => {
    expect(rendered).toHaveLength(ENVIRONMENTS.length);
    expectOk(kubectlValidate(tools, 'kubectl-validate (rendered chart)', rendered));
  });

  it('every rendered Deployment gets the settings its service reads, with one session for all', () => {
    expect(rendered).toHaveLength(ENVIRONMENTS.length);
    expectOk(checkRenderedChart(rendered));
  });

  it('the chart refuses a second clock or trail writer, a session setting in one service, pods beyond the partitions', () => {
    expectOk(helmRefusals(tools));
  });

  it('every file in k8s/ validates against the Kubernetes schemas and the Strimzi CRDs', () => {
    const files = k8sManifestFiles();
    expect(files.length).toBeGreaterThan(0);
    expectOk(kubectlValidate(tools, 'kubectl-validate (k8s/)', files));
  });

  it('promtool accepts the local Prometheus config', () => {
    expectOk(promtoolConfig(tools));
  });

  it('promtool accepts the alert rules', () => {
    expectOk(promtoolRules(tools));
  });

  it('the alert rule unit tests pass', () => {
    expectOk(promtoolTests(tools));
  });

  it('the alert rules use only metrics documented in docs/metrics.md', () => {
    expectOk(checkRuleMetrics());
  });

  it('the dashboards pass the dashboard linter (structure, PromQL, documented metrics)', () => {
    expectOk(lintDashboards(tools));
  });

  it('the shared Dockerfile passes hadolint', () => {
    expectOk(hadolintDockerfile(tools));
  });
});
