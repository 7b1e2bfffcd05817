/** Spawns the TypeScript child scripts of these tests with tsx and collects their output. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..');

export interface Child {
  readonly process: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the child ended. */
  readonly exited: Promise<number | string>;
}

export function spawnChild(script: string, args: readonly string[]): Child {
  // node --import tsx runs the script in ONE process. The tsx CLI (node_modules/.bin/tsx) runs it
  // in a second node process, so a SIGKILL sent to the CLI would leave the real worker running.
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'children', script), ...args], {
    cwd: repoRoot,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { process: child, output: () => out, exited };
}
