import type * as CcxtModule from 'ccxt';

type NodeModuleApi = { createRequire(path: string): (id: string) => unknown };

/**
 * Loads ccxt. Its CommonJS build requires ESM-only dependencies (@noble/curves), which Node
 * (22.12+) loads natively; services take that first path. Jest's module sandbox cannot load
 * them without --experimental-vm-modules, so when the ordinary require fails that way, ccxt
 * is loaded by the real process's main-module require, outside the sandbox (reached through
 * the host realm's Function constructor). Either way one ccxt instance serves the process.
 */
let hostJson: JSON = JSON;

function loadCcxt(): typeof CcxtModule {
  const nodeModule = process.getBuiltinModule('node:module') as NodeModuleApi;
  try {
    return nodeModule.createRequire(__filename)('ccxt') as typeof CcxtModule;
  } catch (e) {
    if (!/ES Module/i.test((e as Error).message)) throw e;
    const HostFunction = process.on.constructor as FunctionConstructor;
    const hostProcess = HostFunction('return process')() as NodeJS.Process;
    const main = hostProcess.mainModule;
    if (main === undefined) throw e;
    hostJson = HostFunction('return JSON')() as JSON;
    return main.require(require.resolve('ccxt')) as typeof CcxtModule;
  }
}

let loaded: typeof CcxtModule | undefined;

function ccxtNow(): typeof CcxtModule {
  loaded ??= loadCcxt();
  return loaded;
}

/**
 * The ccxt module. Use it for every runtime access to ccxt (exchange classes, error classes).
 * It loads on first use: ccxt is large, and a process that never talks to a live venue (a
 * simulated session) should not carry it in memory.
 */
export const ccxt: typeof CcxtModule = new Proxy({} as typeof CcxtModule, { get: (_target, property) => Reflect.get(ccxtNow(), property) as unknown });

/**
 * Returns a deep copy of a JSON-like value made in the realm ccxt runs in. ccxt recognises
 * plain objects by their constructor, so options and params built in another realm (a test
 * sandbox) must be copied before they are handed to it; in a service this is a plain copy.
 */
export function forCcxt<T>(value: T): T {
  ccxtNow(); // the realm is known once ccxt is loaded
  return hostJson.parse(JSON.stringify(value)) as T;
}
