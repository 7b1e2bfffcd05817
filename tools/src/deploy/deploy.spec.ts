import { ALL_TOPICS, Topics, WAL_TOPICS } from '@fleet/contracts';
import { buildDashboards } from './dashboards';
import { aclsOf, generateDeployFiles } from './generate-k8s';
import { DATA_DIR_SETTING, groupIdOf, partitionCeilingOf, SERVICES, SINGLE_REPLICA, TOPOLOGY, topologyOf } from './service-topology';
import { documentedMetrics, isKnownMetric, lintDashboard, metricNamesIn, REPO_ROOT } from './validate';
import { toYaml } from './yaml';

describe('service topology', () => {
  it('has every service once, in SERVICES order', () => {
    expect(TOPOLOGY.map((t) => t.name)).toEqual([...SERVICES]);
  });

  it('gives every consumed topic a producer, and every catalogue topic a producer', () => {
    const produced = new Set(TOPOLOGY.flatMap((t) => t.produces.map((topic) => topic.name)));
    for (const t of TOPOLOGY) for (const topic of t.consumes) if (topic !== Topics.controlCommand) expect(produced).toContain(topic.name);
    // control.command is written by operators (tools), not by a service.
    for (const topic of ALL_TOPICS) if (topic !== Topics.controlCommand) expect(produced).toContain(topic.name);
  });

  it('has audit-writer read every WAL topic and write only audit.checkpoint', () => {
    const audit = topologyOf('audit-writer');
    expect(audit.consumes.map((t) => t.name).sort()).toEqual(WAL_TOPICS.map((t) => t.name).sort());
    expect(audit.produces).toEqual([Topics.auditCheckpoint]);
  });

  it('caps replicas at the partition count of instrument-keyed inputs', () => {
    expect(partitionCeilingOf(topologyOf('market-gateway'))).toBeUndefined();
    expect(partitionCeilingOf(topologyOf('fair-value'))).toBe(Topics.mdBook.partitions);
    // control.command has one partition but is not instrument-keyed: it does not cap risk-shield.
    expect(partitionCeilingOf(topologyOf('risk-shield'))).toBe(Topics.strategyIntent.partitions);
  });

  it('lets only execution-router see the exchange keys', () => {
    expect(TOPOLOGY.filter((t) => t.exchangeKeys).map((t) => t.name)).toEqual(['execution-router']);
  });
});

describe('KafkaUser ACLs', () => {
  it('grant only literal topics, the own group and own transactional-id prefixes', () => {
    for (const t of TOPOLOGY) {
      const acls = aclsOf(t) as { resource: { type: string; name?: string; patternType?: string }; operations: string[] }[];
      for (const a of acls) {
        expect(a.operations).not.toContain('All');
        if (a.resource.type === 'topic') expect(a.resource.patternType).toBe('literal');
        if (a.resource.type === 'group') expect(a.resource.name).toBe(groupIdOf(t.name));
        if (a.resource.type === 'transactionalId') expect(a.resource.name!.startsWith(`fleet.${t.name}`)).toBe(true);
      }
      const writes = acls.filter((a) => a.resource.type === 'topic' && a.operations.includes('Write')).map((a) => a.resource.name).sort();
      expect(writes).toEqual(t.produces.map((p) => p.name).sort());
      const reads = acls.filter((a) => a.resource.type === 'topic' && a.operations.includes('Read')).map((a) => a.resource.name).sort();
      expect(reads).toEqual(t.consumes.map((p) => p.name).sort());
    }
  });
});

describe('generated files', () => {
  it('writes one KafkaTopic per catalogue topic with its partitions and retention', () => {
    const topics = generateDeployFiles(REPO_ROOT).get('k8s/kafka/topics.yaml')!;
    expect(topics.match(/^kind: KafkaTopic$/gm)).toHaveLength(ALL_TOPICS.length);
    for (const t of ALL_TOPICS) expect(topics).toContain(`topicName: ${t.name}\n  partitions: ${t.partitions}\n`);
  });

  it('gives the chart the single-replica services and the data-directory setting', () => {
    const topology = generateDeployFiles(REPO_ROOT).get('helm/fleet/files/topology.yaml')!;
    expect(Object.keys(SINGLE_REPLICA).sort()).toEqual(['audit-writer', 'market-gateway']);
    for (const name of SERVICES) {
      const start = topology.indexOf(`\n  ${name}:\n`) + 1;
      const next = topology.slice(start + 1).search(/\n {2}\S/);
      const block = topology.slice(start, next < 0 ? undefined : start + 1 + next);
      expect(block).toContain(`    singleReplica: ${JSON.stringify(SINGLE_REPLICA[name] ?? '')}\n`);
    }
    expect(DATA_DIR_SETTING).toEqual({ 'audit-writer': 'FLEET_AUDIT_DIR' });
    expect(topology).toContain('    singleReplica: "one pod writes one hash-chained trail on its volume"\n    dataDirSetting: FLEET_AUDIT_DIR\n');
  });

  it('emits YAML that quotes ambiguous strings', () => {
    expect(toYaml({ a: 'true', b: '1', c: 'plain-name', d: ['x: y'], e: {}, f: [] })).toBe('a: "true"\nb: "1"\nc: plain-name\nd:\n- "x: y"\ne: {}\nf: []\n');
  });
});

describe('dashboard linter', () => {
  const documented = documentedMetrics();

  it('finds metric names and ignores labels, functions and variables', () => {
    expect(metricNamesIn('histogram_quantile(0.99, sum by (service, le) (rate(handler_latency_seconds_bucket{service=~"$service"}[$__rate_interval])))')).toEqual(['handler_latency_seconds_bucket']);
    expect(isKnownMetric('handler_latency_seconds_bucket', documented)).toBe(true);
    expect(isKnownMetric('fleet_made_up', documented)).toBe(false);
  });

  it('accepts the generated dashboards', () => {
    for (const [name, d] of buildDashboards()) expect(lintDashboard(name, JSON.stringify(d)).problems).toEqual([]);
  });

  it('reports a fixed rate window, a missing datasource variable and an undefined variable', () => {
    const d = buildDashboards().get('fleet-overview')! as { templating: { list: unknown[] }; panels: { type: string; targets?: { expr: string }[] }[] };
    const broken = JSON.parse(JSON.stringify(d)) as typeof d;
    broken.templating.list = broken.templating.list.filter((v) => (v as { name: string }).name !== 'datasource');
    const panel = broken.panels.find((p) => p.type === 'timeseries')!;
    panel.targets![0]!.expr = 'sum(rate(events_in_total{venue="$venue"}[5m]))';
    const problems = lintDashboard('x.json', JSON.stringify(broken)).problems.join('\n');
    expect(problems).toContain('template variable "datasource"');
    expect(problems).toContain('window 5m should be $__rate_interval');
    expect(problems).toContain('undefined variable $venue');
  });
});
