/**
 * One lane service run as the deployed artefact (`node dist/services/<service>/src/main.js`) in a
 * child process, with the start-up lines it prints (`started`, `lane-started`) parsed, its last
 * lines kept for failure messages, and a graceful stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The `started` line of a lane service. */
export interface StartedLine {
  readonly service: string;
  readonly instance: string;
  readonly group: string;
  readonly httpPort: number;
  readonly metricsPort: number;
}

/** A `lane-started` line: how one lane started (snapshot, rebuilt from the log, or fresh). */
export interface LaneStartedLine {
  readonly partition: number;
  readonly lastTick: number;
  readonly from: 'snapshot' | 'log' | 'fresh';
  readonly replayedTicks: number;
  readonly detail: string;
}

/** Returns the JSON start-up lines found in a service's output. */
export function parseServiceLines(lines: readonly string[]): { readonly started: StartedLine | undefined; readonly lanes: readonly LaneStartedLine[] } {
  let started: StartedLine | undefined;
  const lanes: LaneStartedLine[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as { event?: string } & Record<string, unknown>;
      if (value.event === 'started') started = value as unknown as StartedLine;
      else if (value.event === 'lane-started') lanes.push(value as unknown as LaneStartedLine);
    } catch {
      // a log line that only looks like JSON
    }
  }
  return { started, lanes };
}

/** Returns the environment a replayed service runs with: the session's settings, then the replay's, then the overrides; no other FLEET_* setting of the caller leaks in. */
export function serviceEnvironment(base: NodeJS.ProcessEnv, session: Readonly<Record<string, string>>, replay: Readonly<Record<string, string>>, overrides: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !k.startsWith('FLEET_')) env[k] = v;
  return { ...env, ...session, ...replay, ...overrides };
}

/** A running service process. */
export class ServiceProcess {
  readonly output: string[] = [];
  readonly startedAtMs = performance.now();
  private readonly child: ChildProcess;
  private exitInfo: string | undefined;
  private readonly exited: Promise<void>;

  /** Starts `service` from `distDir` with `env`; throws when the build is missing. */
  constructor(
    readonly service: string,
    distDir: string,
    env: Readonly<Record<string, string>>,
  ) {
    const main = join(distDir, 'services', service, 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} does not exist: build the fleet first (npm run build)`);
    this.child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') this.output.push(line);
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitInfo = `exited with ${code ?? signal}`;
        resolve();
      }),
    );
  }

  /** Why the process is gone, or undefined while it runs. */
  get exit(): string | undefined {
    return this.exitInfo;
  }

  /** The process's start-up lines so far. */
  lines(): ReturnType<typeof parseServiceLines> {
    return parseServiceLines(this.output);
  }

  /** The last `n` lines of its output. */
  tail(n = 30): string {
    return this.output.slice(-n).join('\n');
  }

  /** Stops it with SIGTERM (SIGKILL after `graceMs`) and waits for the exit. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exitInfo !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
