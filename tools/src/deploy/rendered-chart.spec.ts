import { configMapData, deploymentEnv, deploymentProblems, renderedManifests, SESSION_CONFIG_MAP } from './rendered-chart';

/** A ConfigMap in the chart's layout. */
function configMap(name: string, data: Record<string, string>, namespace = 'fleet'): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  return ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`, 'data:', '  # a comment', ...lines, '  dashboard.json: |-', '    {}'].join('\n');
}

/** A Deployment in the chart's layout: one container with envFrom, env and optional data volume. */
function deployment(name: string, opts: { readonly envFrom: readonly string[]; readonly extraEnv?: string[]; readonly singleReplica?: boolean; readonly dataDir?: string }): string {
  const env = [
    '            - name: FLEET_SERVICE_INSTANCE',
    '              valueFrom:',
    '                fieldRef:',
    '                  fieldPath: metadata.name',
    '            - name: REDIS_PASSWORD',
    '              valueFrom:',
    '                secretKeyRef:',
    '                  name: redis-users',
    `                  key: ${name}`,
    '            - name: REDIS_URL',
    `              value: "redis://${name}:$(REDIS_PASSWORD)@redis:6379"`,
    ...(opts.dataDir ? ['            - name: FLEET_AUDIT_DIR', `              value: "${opts.dataDir}"`] : []),
    ...(opts.extraEnv ?? []),
  ];
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: fleet',
    'spec:',
    '  replicas: 1',
    '  strategy:',
    `    type: ${opts.singleReplica ? 'Recreate' : 'RollingUpdate'}`,
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    '          ports:',
    '            - name: metrics',
    '              containerPort: 9464',
    '          envFrom:',
    ...opts.envFrom.flatMap((n) => ['            - configMapRef:', `                name: ${n}`]),
    '          env:',
    ...env,
    '          volumeMounts:',
    '            - name: tmp',
    '              mountPath: /tmp',
    ...(opts.dataDir ? ['            - name: data', `              mountPath: ${opts.dataDir}`] : []),
    '      volumes:',
    '        - name: tmp',
    '          emptyDir: {}',
    ...(opts.dataDir ? ['        - name: data', '          persistentVolumeClaim:', `            claimName: ${name}-data`] : []),
  ].join('\n');
}

const SESSION = { FLEET_SCENARIO: 'calm', FLEET_SEED: '7', FLEET_DURATION_S: '60', FLEET_TICK_MS: '250', FLEET_VENUE_COUNT: '2', FLEET_INSTRUMENTS: 'ETH-PERP' };
const OWN = { KAFKA_BROKERS: 'kafka:9093', SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7', FLEET_GROUP_ID: 'fleet.quoting' };
const pvc = (name: string): string => ['apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', `  name: ${name}`, '  namespace: fleet', 'spec: {}'].join('\n');
const stream = (...docs: string[]): string => docs.map((d) => `---\n${d}\n`).join('');

describe('renderedManifests and configMapData', () => {
  it('split the stream and read scalar data, skipping comments and block scalars', () => {
    const ms = renderedManifests(stream(configMap(SESSION_CONFIG_MAP, SESSION), pvc('audit-writer-data')));
    expect(ms.map((m) => [m.kind, m.name, m.namespace])).toEqual([
      ['ConfigMap', SESSION_CONFIG_MAP, 'fleet'],
      ['PersistentVolumeClaim', 'audit-writer-data', 'fleet'],
    ]);
    expect(Object.fromEntries(configMapData(ms[0]!))).toEqual(SESSION);
  });
});

describe('deploymentEnv', () => {
  it('layers envFrom in order, then env, and expands $(VAR) from what is defined before', () => {
    const ms = renderedManifests(stream(configMap(SESSION_CONFIG_MAP, SESSION), configMap('quoting-config', { ...OWN, FLEET_SEED: '8' }), deployment('quoting', { envFrom: [SESSION_CONFIG_MAP, 'quoting-config'] })));
    const { env, problems } = deploymentEnv(ms.find((m) => m.kind === 'Deployment')!, ms);
    expect(problems).toEqual([]);
    expect(env.FLEET_SEED).toBe('8');
    expect(env.FLEET_SERVICE_INSTANCE).toBe('quoting-pod');
    expect(env.REDIS_URL).toBe('redis://quoting:secret@redis:6379');
    expect(env).not.toHaveProperty('metrics');
  });

  it('names a ConfigMap that is not rendered', () => {
    const ms = renderedManifests(stream(deployment('quoting', { envFrom: ['missing'] })));
    expect(deploymentEnv(ms[0]!, ms).problems).toEqual(['quoting: envFrom ConfigMap missing is not rendered in namespace fleet']);
  });
});

describe('deploymentProblems', () => {
  it('accepts a service that reads the session and its own settings', () => {
    const ms = renderedManifests(stream(configMap(SESSION_CONFIG_MAP, SESSION), configMap('quoting-config', OWN), deployment('quoting', { envFrom: [SESSION_CONFIG_MAP, 'quoting-config'] })));
    expect(deploymentProblems('quoting', ms)).toEqual([]);
  });

  it('reports a session setting that drifts from fleet-session, and a setting the service rejects', () => {
    const ms = renderedManifests(stream(configMap(SESSION_CONFIG_MAP, SESSION), configMap('quoting-config', { ...OWN, FLEET_SEED: '8', FLEET_SNAPSHOT_EVERY: '10' }), deployment('quoting', { envFrom: [SESSION_CONFIG_MAP, 'quoting-config'] })));
    expect(deploymentProblems('quoting', ms)).toEqual([
      'quoting: session setting FLEET_SEED is "8" in the pod but "7" in fleet-session',
      'quoting: FLEET_SNAPSHOT_EVERY must be an integer from 501 to 10000000, received "10"',
    ]);
  });

  it('requires fleet-session first, and the settings readServiceConfig needs', () => {
    const own = renderedManifests(stream(configMap(SESSION_CONFIG_MAP, SESSION), configMap('quoting-config', OWN), deployment('quoting', { envFrom: ['quoting-config', SESSION_CONFIG_MAP] })));
    expect(deploymentProblems('quoting', own)).toEqual(['quoting: must read ConfigMap fleet-session of namespace fleet first with envFrom']);
    const bare = renderedManifests(stream(configMap(SESSION_CONFIG_MAP, SESSION), deployment('quoting', { envFrom: [SESSION_CONFIG_MAP] })));
    expect(deploymentProblems('quoting', bare)).toEqual([
      'quoting: KAFKA_BROKERS must be a comma-separated list of host:port, received nothing (the variable is not set)',
      'quoting: SCHEMA_REGISTRY_URL must be a URL with protocol http or https, received nothing (the variable is not set)',
    ]);
  });

  it('holds a single-replica service with a data directory to Recreate and a mounted claim', () => {
    const own = configMap('audit-writer-config', { ...OWN, FLEET_GROUP_ID: 'fleet.audit-writer' });
    const good = renderedManifests(stream(configMap(SESSION_CONFIG_MAP, SESSION), own, pvc('audit-writer-data'), deployment('audit-writer', { envFrom: [SESSION_CONFIG_MAP, 'audit-writer-config'], singleReplica: true, dataDir: '/var/lib/fleet/audit' })));
    expect(deploymentProblems('audit-writer', good)).toEqual([]);
    const bad = renderedManifests(stream(configMap(SESSION_CONFIG_MAP, SESSION), own, deployment('audit-writer', { envFrom: [SESSION_CONFIG_MAP, 'audit-writer-config'], dataDir: '/var/lib/fleet/audit' })));
    expect(deploymentProblems('audit-writer', bad)).toEqual([
      'audit-writer: a single-replica service must use the Recreate strategy',
      'audit-writer: PersistentVolumeClaim audit-writer-data is not rendered in namespace fleet',
    ]);
  });
});
