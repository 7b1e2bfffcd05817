import type { ClientOrderId, InstrumentId, VenueId } from '@fleet/core';
import type { Exchange, Order as CcxtOrder } from 'ccxt';
import { createProExchange, prepareExchange, type UrlOverride } from '../ccxt/ccxt-exchange';
import { ccxt, forCcxt } from '../ccxt/ccxt-module';
import type { InstrumentMap } from '../ccxt/instrument-map';
import { LiveTradingNotEnabledError, VenueError } from '../errors';
import { toDecimalString, toDecimalStringOrNull } from '../market-data/decimal-text';
import { Redactor, silentLogger, type VenueLogger } from './redactor';
import type { CancelOutcome, PlaceOrderRequest, PlaceOutcome, QueryOutcome, TradingVenue, VenueOrderSnapshot, VenueOrderStatus } from './trading-venue';

/** The environment variable that must be set for any live order to leave the process. */
export const LIVE_TRADING_SETTING = 'FLEET_LIVE_TRADING';
/** The exact value it must hold. */
export const LIVE_TRADING_CONSENT = 'I_UNDERSTAND_REAL_ORDERS';

/** How the client order id is passed and queried on each exchange ccxt supports here. */
interface ClientIdParams {
  readonly place: string;
  readonly query: string;
}
const CLIENT_ID_PARAMS: Record<string, ClientIdParams> = {
  binanceusdm: { place: 'newClientOrderId', query: 'origClientOrderId' },
  binance: { place: 'newClientOrderId', query: 'origClientOrderId' },
  bybit: { place: 'orderLinkId', query: 'orderLinkId' },
  okx: { place: 'clOrdId', query: 'clOrdId' },
};
const DEFAULT_CLIENT_ID_PARAMS: ClientIdParams = { place: 'clientOrderId', query: 'clientOrderId' };

/** Configuration of a live ccxt trading venue. */
export interface CcxtTradingConfig {
  /** Venue id used by the fleet; the exchange id by default. */
  readonly venue?: VenueId;
  /** ccxt exchange id; binanceusdm by default. */
  readonly exchangeId?: string;
  readonly instruments: InstrumentMap;
  /** Names of the environment variables holding the credentials, for example FLEET_BINANCEUSDM_API_KEY. */
  readonly credentials: { readonly apiKeyEnv: string; readonly secretEnv: string };
  /** Where settings and credentials are read; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Request timeout in ms; 10 000 by default. A submit that times out is `unknown`, never failed. */
  readonly timeoutMs?: number;
  /** Points the exchange elsewhere (a fake venue on loopback, a testnet mirror). */
  readonly urls?: UrlOverride;
  readonly exchangeOptions?: Record<string, unknown>;
  readonly logger?: VenueLogger;
}

function mapStatus(order: CcxtOrder): VenueOrderStatus {
  switch (order.status) {
    case 'open':
      return 'open';
    case 'closed':
      return 'filled';
    case 'canceled':
      return 'cancelled';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
    default:
      return 'open';
  }
}

/**
 * Live trading through ccxt, behind an explicit opt-in: `create` refuses unless
 * FLEET_LIVE_TRADING=I_UNDERSTAND_REAL_ORDERS is set. The API key and secret come from the
 * environment variables the config names; they never appear in an error message or a log
 * line (every text that leaves is redacted). Venue answers are returned as outcomes; a
 * timeout or dropped connection on submit is `unknown` and never retried here.
 */
export class CcxtTradingVenue implements TradingVenue {
  readonly venue: VenueId;
  readonly #exchange: Exchange;
  readonly #redactor: Redactor;
  readonly #ids: ClientIdParams;
  readonly #instruments: InstrumentMap;
  readonly #logger: VenueLogger;
  readonly #urls: UrlOverride | undefined;
  #ready: Promise<void> | undefined;

  private constructor(config: CcxtTradingConfig, apiKey: string, secret: string) {
    const exchangeId = config.exchangeId ?? 'binanceusdm';
    this.venue = config.venue ?? exchangeId;
    this.#redactor = new Redactor([apiKey, secret]);
    this.#ids = CLIENT_ID_PARAMS[exchangeId] ?? DEFAULT_CLIENT_ID_PARAMS;
    this.#instruments = config.instruments;
    this.#urls = config.urls;
    const base = config.logger ?? silentLogger;
    const r = this.#redactor;
    this.#logger = { info: (m, f) => base.info(r.redact(m), redactFields(r, f)), warn: (m, f) => base.warn(r.redact(m), redactFields(r, f)) };
    this.#exchange = createProExchange({ exchangeId, timeoutMs: config.timeoutMs, options: config.exchangeOptions, urls: config.urls });
    this.#exchange.apiKey = apiKey;
    this.#exchange.secret = secret;
  }

  /**
   * Returns a trading venue; throws LiveTradingNotEnabledError without the opt-in and a
   * VenueError naming the missing environment variable (never its value) without credentials.
   */
  static create(config: CcxtTradingConfig): CcxtTradingVenue {
    const env = config.env ?? process.env;
    if (env[LIVE_TRADING_SETTING] !== LIVE_TRADING_CONSENT) throw new LiveTradingNotEnabledError(LIVE_TRADING_SETTING, LIVE_TRADING_CONSENT);
    const venue = config.venue ?? config.exchangeId ?? 'binanceusdm';
    const apiKey = env[config.credentials.apiKeyEnv];
    const secret = env[config.credentials.secretEnv];
    for (const [name, value] of [
      [config.credentials.apiKeyEnv, apiKey],
      [config.credentials.secretEnv, secret],
    ] as const) {
      if (value === undefined || value.trim() === '') throw new VenueError('MISSING_CREDENTIAL', venue, `live trading on ${venue} needs the environment variable ${name}, which is not set`);
    }
    return new CcxtTradingVenue(config, apiKey!.trim(), secret!.trim());
  }

  /** Returns a description safe to print: never the credentials. */
  toJSON(): Record<string, string> {
    return { venue: this.venue, exchange: this.#exchange.id };
  }

  async placeOrder(request: PlaceOrderRequest): Promise<PlaceOutcome> {
    let symbol: string;
    try {
      symbol = this.#instruments.symbolOf(request.instrument);
    } catch (e) {
      // Nothing left the process: a definite refusal.
      return { kind: 'rejected', reason: (e as Error).message, code: 'UnmappedInstrument' };
    }
    const params: Record<string, unknown> = { [this.#ids.place]: request.clientOrderId };
    if (request.postOnly === true) params['postOnly'] = true;
    if (request.reduceOnly === true) params['reduceOnly'] = true;
    const type = request.limitPrice === undefined ? 'market' : 'limit';
    this.#logger.info('submitting order', { venue: this.venue, clientOrderId: request.clientOrderId, symbol, side: request.side, quantity: request.quantity.toString(), price: request.limitPrice?.toString() ?? null });
    try {
      await this.ready();
      // ccxt takes numbers; the decimal text round-trips exactly for prices and sizes of at most 15 significant digits.
      const order = await this.#exchange.createOrder(symbol, type, request.side, Number(request.quantity.toString()), request.limitPrice === undefined ? undefined : Number(request.limitPrice.toString()), forCcxt(params));
      const snapshot = this.snapshot(order, request.clientOrderId, request.instrument);
      this.#logger.info('order accepted', { clientOrderId: request.clientOrderId, venueOrderId: snapshot.venueOrderId, status: snapshot.status });
      return { kind: 'accepted', order: snapshot };
    } catch (e) {
      const reason = this.describe(e);
      if (e instanceof ccxt.NetworkError) {
        this.#logger.warn('submit outcome unknown; resolve by querying the client order id', { clientOrderId: request.clientOrderId, reason });
        return { kind: 'unknown', reason };
      }
      if (e instanceof ccxt.BaseError) {
        this.#logger.warn('order rejected', { clientOrderId: request.clientOrderId, reason });
        return { kind: 'rejected', reason, code: e.constructor.name };
      }
      // An unexpected failure: the request may have left, so the outcome is unknown, never failed.
      this.#logger.warn('submit outcome unknown after an unexpected error; resolve by querying the client order id', { clientOrderId: request.clientOrderId, reason });
      return { kind: 'unknown', reason };
    }
  }

  async cancelOrder(clientOrderId: ClientOrderId, instrument: InstrumentId): Promise<CancelOutcome> {
    const symbol = this.#instruments.symbolOf(instrument);
    try {
      await this.ready();
      const order = await this.#exchange.cancelOrder('', symbol, forCcxt({ [this.#ids.query]: clientOrderId }));
      return { kind: 'cancelled', order: this.snapshot(order, clientOrderId, instrument) };
    } catch (e) {
      const reason = this.describe(e);
      if (e instanceof ccxt.NetworkError) return { kind: 'unknown', reason };
      if (e instanceof ccxt.BaseError) return { kind: 'rejected', reason, code: e.constructor.name };
      throw this.wrap('CANCEL_FAILED', e);
    }
  }

  async fetchOrder(clientOrderId: ClientOrderId, instrument: InstrumentId): Promise<QueryOutcome> {
    const symbol = this.#instruments.symbolOf(instrument);
    try {
      await this.ready();
      const order = await this.#exchange.fetchOrder('', symbol, forCcxt({ [this.#ids.query]: clientOrderId }));
      return { kind: 'found', order: this.snapshot(order, clientOrderId, instrument) };
    } catch (e) {
      if (e instanceof ccxt.OrderNotFound) return { kind: 'not_found' };
      if (e instanceof ccxt.NetworkError) return { kind: 'unknown', reason: this.describe(e) };
      throw this.wrap('QUERY_FAILED', e);
    }
  }

  async fetchOpenOrders(instrument?: InstrumentId): Promise<VenueOrderSnapshot[]> {
    const targets = instrument === undefined ? this.#instruments.entries() : [{ instrument, symbol: this.#instruments.symbolOf(instrument) }];
    const out: VenueOrderSnapshot[] = [];
    try {
      await this.ready();
      for (const t of targets) {
        const orders = await this.#exchange.fetchOpenOrders(t.symbol);
        for (const o of orders) out.push(this.snapshot(o, o.clientOrderId ?? '', t.instrument));
      }
    } catch (e) {
      throw this.wrap('OPEN_ORDERS_FAILED', e);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#exchange.close().catch(() => undefined);
  }

  private ready(): Promise<void> {
    this.#ready ??= (async () => {
      await prepareExchange(this.#exchange, this.#urls);
      await this.#exchange.loadMarkets();
    })();
    this.#ready.catch(() => (this.#ready = undefined));
    return this.#ready;
  }

  private snapshot(order: CcxtOrder, clientOrderId: ClientOrderId, instrument: InstrumentId): VenueOrderSnapshot {
    const filled = order.filled ?? 0;
    return {
      clientOrderId: order.clientOrderId ?? clientOrderId,
      venueOrderId: String(order.id),
      instrument,
      status: mapStatus(order),
      quantity: toDecimalString(order.amount ?? 0),
      filledQuantity: toDecimalString(filled),
      averagePrice: filled > 0 ? toDecimalStringOrNull(order.average) : null,
      updatedAtUs: typeof order.lastUpdateTimestamp === 'number' ? order.lastUpdateTimestamp * 1000 : typeof order.timestamp === 'number' ? order.timestamp * 1000 : null,
    };
  }

  private describe(e: unknown): string {
    const name = e instanceof Error ? e.constructor.name : 'Error';
    const message = e instanceof Error ? e.message : String(e);
    return this.#redactor.redact(`${name}: ${message}`);
  }

  /** Returns a VenueError with a redacted message and a redacted cause (the original is dropped: it may carry secrets). */
  private wrap(code: string, e: unknown): VenueError {
    const text = this.describe(e);
    const retriable = e instanceof ccxt.NetworkError;
    const cause = new Error(text);
    return new VenueError(code, this.venue, `${this.venue}: ${text}`, { retriable, cause });
  }
}

function redactFields(r: Redactor, fields: Record<string, string | number | boolean | null> | undefined): Record<string, string | number | boolean | null> | undefined {
  if (fields === undefined) return undefined;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? r.redact(v) : v]));
}
