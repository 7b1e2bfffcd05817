import { ccxt, forCcxt } from './ccxt-module';
import type { Exchange } from 'ccxt';
import { VenueError } from '../errors';

/** Where to send an exchange's traffic instead of its public hosts (a fake venue, a proxy, a testnet mirror). */
export interface UrlOverride {
  /** Replaces the scheme and host of every REST url, for example http://127.0.0.1:41234. */
  readonly http: string;
  /** Replaces the scheme and host of every websocket url, for example ws://127.0.0.1:41234. */
  readonly ws: string;
}

/** How to build a ccxt exchange instance. */
export interface CcxtExchangeConfig {
  /** ccxt exchange id, for example binanceusdm or bybit. */
  readonly exchangeId: string;
  /** Request timeout in milliseconds (ccxt's `timeout`); 10 000 by default. */
  readonly timeoutMs?: number;
  /** Exchange-specific ccxt options merged into `options`. */
  readonly options?: Record<string, unknown>;
  readonly urls?: UrlOverride;
}

const ORIGIN = /^(https?|wss?):\/\/[^/]+/;

/**
 * Returns a copy of a ccxt `urls.api` tree with the scheme and host of every address replaced:
 * https/http addresses by `override.http`, wss/ws by `override.ws`; paths are kept.
 */
export function rebaseUrls(api: unknown, override: UrlOverride): unknown {
  if (typeof api === 'string') {
    const m = ORIGIN.exec(api);
    if (m === null) return api;
    const base = m[1]!.startsWith('ws') ? override.ws : override.http;
    return base.replace(/\/$/, '') + api.slice(m[0].length);
  }
  if (Array.isArray(api)) return api.map((v) => rebaseUrls(v, override));
  if (typeof api === 'object' && api !== null) return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, rebaseUrls(v, override)]));
  return api;
}

/**
 * Returns a ccxt pro (websocket-capable) exchange instance; with `urls`, every REST and
 * websocket address points there. Credentials are set by the trading adapter only.
 * Throws VenueError for an exchange id ccxt pro does not know.
 */
export function createProExchange(config: CcxtExchangeConfig): Exchange {
  const ctor = (ccxt.pro as unknown as Record<string, new (c: Record<string, unknown>) => Exchange>)[config.exchangeId];
  if (typeof ctor !== 'function') {
    throw new VenueError('UNKNOWN_EXCHANGE', config.exchangeId, `ccxt pro has no exchange "${config.exchangeId}"; known ids include binanceusdm, bybit, okx`);
  }
  const exchange = new ctor(forCcxt({ enableRateLimit: true, timeout: config.timeoutMs ?? 10_000, options: { fetchCurrencies: false, ...(config.options ?? {}) } }));
  if (config.urls !== undefined) {
    const urls = exchange.urls as unknown as Record<string, unknown>;
    urls['api'] = forCcxt(rebaseUrls(urls['api'], config.urls));
  }
  return exchange;
}

/** Returns true when the ccxt error means the request may not have reached the venue or its answer was lost (timeout, connection). */
export function isNetworkError(e: unknown): boolean {
  return e instanceof ccxt.NetworkError;
}

/**
 * Finishes what the constructor cannot do synchronously: with a plain ws:// override (a
 * loopback fake venue), ccxt needs its http agent loaded before it opens a websocket.
 */
export async function prepareExchange(exchange: Exchange, urls: UrlOverride | undefined): Promise<void> {
  if (urls !== undefined && urls.ws.startsWith('ws://')) await exchange.loadHttpProxyAgent();
}
