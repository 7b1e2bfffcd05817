/**
 * Checks what the rendered Helm chart gives each pod against what the services read: every
 * Deployment's environment, built the way Kubernetes builds it (envFrom ConfigMaps in order, then
 * env; `$(VAR)` expanded), must pass the services' own readers (readServiceConfig,
 * readLaneSessionConfig, the core's strategy validator) with the session of ConfigMap
 * fleet-session untouched; single-replica services must run one pod with Recreate and no HPA; a
 * service's data directory must be an absolute path on a mounted PersistentVolumeClaim.
 *
 * It reads the manifests of `helm template` in the chart's own layout (one document per `---`,
 * two-space indents), not arbitrary YAML.
 */
import { validateStrategyConfig } from '@fleet/core';
import { EnvReader, laneRunnerConfig, readLaneSessionConfig, readServiceConfig } from '@fleet/service';
import { namespaceOf } from './generate-k8s';
import { DATA_DIR_SETTING, SINGLE_REPLICA, TOPOLOGY, type ServiceName } from './service-topology';

/** The ConfigMap every pod reads the shared session from. */
export const SESSION_CONFIG_MAP = 'fleet-session';

/** One rendered manifest: its kind, name, namespace and text. */
export interface RenderedManifest {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly text: string;
}

/** Splits a `helm template` stream into its manifests (documents without a kind are dropped). */
export function renderedManifests(stream: string): RenderedManifest[] {
  return stream.split(/^---$/m).flatMap((text) => {
    const kind = /^kind: (\S+)$/m.exec(text)?.[1];
    const name = /^ {2}name: (\S+)$/m.exec(text)?.[1];
    if (kind === undefined || name === undefined) return [];
    return [{ kind, name, namespace: /^ {2}namespace: (\S+)$/m.exec(text)?.[1] ?? '', text }];
  });
}

/** A scalar as written by the chart: a JSON-quoted string or a plain one. */
function scalar(raw: string): string {
  const v = raw.trim();
  return v.startsWith('"') ? (JSON.parse(v) as string) : v;
}

/** The entries of a ConfigMap's `data` with scalar values, in order (comments and block scalars skipped). */
export function configMapData(m: RenderedManifest): Map<string, string> {
  const data = new Map<string, string>();
  const block = /^data:\n((?: {2}.*\n?)*)/m.exec(m.text)?.[1] ?? '';
  for (const line of block.split('\n')) {
    const entry = /^ {2}([A-Za-z0-9_.-]+): (.+)$/.exec(line);
    if (entry && !/^[|>]/.test(entry[2]!)) data.set(entry[1]!, scalar(entry[2]!));
  }
  return data;
}

function find(manifests: readonly RenderedManifest[], kind: string, name: string, namespace: string): RenderedManifest | undefined {
  return manifests.find((m) => m.kind === kind && m.name === name && m.namespace === namespace);
}

/** The ConfigMaps a Deployment's container reads with envFrom, in order. */
export function envFromConfigMaps(deployment: RenderedManifest): string[] {
  return [...deployment.text.matchAll(/configMapRef:\n\s+name: (\S+)/g)].map((m) => m[1]!);
}

/**
 * The environment a Deployment's container starts with: its envFrom ConfigMaps in order, then its
 * env entries (a later one wins), `$(VAR)` expanded from what is defined before it. Values from
 * the pod's fields are `<deployment>-pod`, values from Secrets `secret`.
 */
export function deploymentEnv(deployment: RenderedManifest, manifests: readonly RenderedManifest[]): { env: Record<string, string>; problems: string[] } {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  for (const ref of envFromConfigMaps(deployment)) {
    const cm = find(manifests, 'ConfigMap', ref, deployment.namespace);
    if (cm === undefined) problems.push(`${deployment.name}: envFrom ConfigMap ${ref} is not rendered in namespace ${deployment.namespace}`);
    else for (const [k, v] of configMapData(cm)) env[k] = v;
  }
  for (const m of deployment.text.matchAll(/^( +)- name: ([A-Z_][A-Z0-9_]*)\n\1 {2}(?:value: (.*)|valueFrom:\n\1 {4}(\w+):)$/gm)) {
    const [, , name, literal, source] = m;
    const value = literal !== undefined ? scalar(literal) : source === 'fieldRef' ? `${deployment.name}-pod` : 'secret';
    env[name!] = value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (ref, v: string) => env[v] ?? ref);
  }
  return { env, problems };
}

/** What the service's own readers say about `env`: every bad or missing setting, then every strategy issue per instrument. */
function settingProblems(service: ServiceName, env: Record<string, string>): string[] {
  // The Kafka CA is a Secret mounted in the pod; offline any readable file stands in for it (the reader only reads it).
  const reader = new EnvReader(env.KAFKA_SSL_CA_FILE === undefined ? env : { ...env, KAFKA_SSL_CA_FILE: __filename });
  readServiceConfig(service, reader);
  const session = readLaneSessionConfig(reader);
  const problems = reader.problems().map((p) => `${service}: ${p.message}`);
  if (problems.length > 0) return problems;
  return session.instruments.flatMap((i) => validateStrategyConfig(laneRunnerConfig(session, i).strategy).map((issue) => `${service}: ${i}: ${issue.message}`));
}

/** Single-replica services: one pod, Recreate, no HPA. */
function replicaProblems(service: ServiceName, d: RenderedManifest, manifests: readonly RenderedManifest[]): string[] {
  if (SINGLE_REPLICA[service] === undefined) return [];
  const problems: string[] = [];
  if (!/^ {2}replicas: 1$/m.test(d.text)) problems.push(`${service}: a single-replica service must set replicas: 1`);
  if (!/^ {4}type: Recreate$/m.test(d.text)) problems.push(`${service}: a single-replica service must use the Recreate strategy`);
  if (find(manifests, 'HorizontalPodAutoscaler', service, d.namespace)) problems.push(`${service}: a single-replica service must have no HPA`);
  return problems;
}

/** A service with a data directory: the setting is an absolute path mounted from a rendered PersistentVolumeClaim. */
function dataDirProblems(service: ServiceName, d: RenderedManifest, env: Record<string, string>, manifests: readonly RenderedManifest[]): string[] {
  const setting = DATA_DIR_SETTING[service];
  if (setting === undefined) return [];
  const dir = env[setting];
  if (dir === undefined || !dir.startsWith('/')) return [`${service}: ${setting} must be an absolute path, received ${JSON.stringify(dir)}`];
  const volume = new RegExp(`- name: (\\S+)\\n\\s+mountPath: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm').exec(d.text)?.[1];
  const claim = volume === undefined ? undefined : new RegExp(`- name: ${volume}\\n\\s+persistentVolumeClaim:\\n\\s+claimName: (\\S+)$`, 'm').exec(d.text)?.[1];
  if (claim === undefined) return [`${service}: ${setting}=${dir} is not a mounted PersistentVolumeClaim`];
  return find(manifests, 'PersistentVolumeClaim', claim, d.namespace) ? [] : [`${service}: PersistentVolumeClaim ${claim} is not rendered in namespace ${d.namespace}`];
}

/** Every problem of one service's Deployment among the rendered manifests (empty when it gets what it needs). */
export function deploymentProblems(service: ServiceName, manifests: readonly RenderedManifest[]): string[] {
  const t = TOPOLOGY.find((s) => s.name === service)!;
  const namespace = namespaceOf(t);
  const d = find(manifests, 'Deployment', service, namespace);
  if (d === undefined) return [`${service}: no Deployment in namespace ${namespace}`];
  const sessionMap = find(manifests, 'ConfigMap', SESSION_CONFIG_MAP, namespace);
  if (sessionMap === undefined || envFromConfigMaps(d)[0] !== SESSION_CONFIG_MAP) return [`${service}: must read ConfigMap ${SESSION_CONFIG_MAP} of namespace ${namespace} first with envFrom`];
  const { env, problems } = deploymentEnv(d, manifests);
  for (const [k, v] of configMapData(sessionMap)) {
    if (env[k] !== v) problems.push(`${service}: session setting ${k} is ${JSON.stringify(env[k])} in the pod but ${JSON.stringify(v)} in ${SESSION_CONFIG_MAP}`);
  }
  return [...problems, ...settingProblems(service, env), ...replicaProblems(service, d, manifests), ...dataDirProblems(service, d, env, manifests)];
}

/** Every problem of a rendered chart: each service's Deployment, and one session in every namespace. */
export function renderedChartProblems(stream: string): string[] {
  const manifests = renderedManifests(stream);
  const sessions = manifests.filter((m) => m.kind === 'ConfigMap' && m.name === SESSION_CONFIG_MAP);
  const distinct = new Set(sessions.map((m) => JSON.stringify([...configMapData(m)])));
  const problems = distinct.size > 1 ? [`the ${sessions.length} ${SESSION_CONFIG_MAP} ConfigMaps differ: ${[...distinct].join(' vs ')}`] : [];
  return [...problems, ...TOPOLOGY.flatMap((t) => deploymentProblems(t.name, manifests))];
}
