/**
 * Starts the backing stack as containers when a Docker engine is present. The images and
 * versions are those of infra/docker-compose.yml (read from infra/versions.env).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenericContainer, Network, Wait, type StartedTestContainer } from 'testcontainers';
import { parseStackEnv, repoRoot, type StackEnv } from './stack';

/** Started containers, kept so that teardown stops exactly them. */
export interface ContainerStack {
  readonly env: StackEnv;
  stop(): Promise<void>;
}

/** Returns a running containerised stack: Kafka (KRaft), Apicurio Registry and Redis. */
export async function startContainerStack(): Promise<ContainerStack> {
  const versions = parseStackEnv(readFileSync(join(repoRoot, 'infra', 'versions.env'), 'utf8'));
  const network = await new Network().start();
  const kafkaPort = 19092;
  const kafka = await new GenericContainer(`apache/kafka:${versions.KAFKA_VERSION}`)
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .withExposedPorts({ container: kafkaPort, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${kafkaPort},CONTROLLER://0.0.0.0:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_NUM_PARTITIONS: '3',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  const registry = await new GenericContainer(`apicurio/apicurio-registry:${versions.APICURIO_VERSION}`)
    .withNetwork(network)
    .withExposedPorts(8080)
    .withEnvironment({ APICURIO_STORAGE_KIND: 'sql', APICURIO_STORAGE_SQL_KIND: 'h2' })
    .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080).forStatusCode(200))
    .start();
  const redis = await new GenericContainer('redis:7.0.15').withExposedPorts(6379).withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/)).start();
  const started: StartedTestContainer[] = [redis, registry, kafka];
  return {
    env: {
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
      SCHEMA_REGISTRY_URL: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`,
      REDIS_URL: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    },
    async stop() {
      for (const c of started) await c.stop();
      await network.stop();
    },
  };
}
