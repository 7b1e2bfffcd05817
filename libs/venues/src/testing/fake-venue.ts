import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A fake Binance USDⓈ-M futures venue on 127.0.0.1 (HTTP and websocket on one ephemeral port)
 * that speaks enough of the real REST and stream protocol for ccxt's `binanceusdm` and
 * `pro.binanceusdm` to work against it unchanged: exchangeInfo, depth, premiumIndex and
 * time; signed order placement, query, cancel and open orders (HMAC-SHA256 checked against
 * the configured secret); SUBSCRIBE on the stream endpoint answered with recorded payloads.
 */

/** The default credentials the fake accepts. */
export const FAKE_API_KEY = 'fake-api-key-0123456789';
/** The default secret the fake checks signatures with. */
export const FAKE_SECRET = 'fake-secret-abcdefghijklmnopqrstuvwxyz';

/** What to do with the next order submit. */
export type SubmitFault =
  /** Record the order as accepted but never answer (the client times out). */
  | { readonly kind: 'withhold' }
  /** Lose the request before the matching engine: nothing is recorded and no answer is sent. */
  | { readonly kind: 'drop' }
  /** Answer with a Binance error (nothing is recorded). */
  | { readonly kind: 'reject'; readonly code: number; readonly msg: string }
  /** Accept and immediately fill `quantity` at `price` (or the limit price). */
  | { readonly kind: 'fill'; readonly quantity: string; readonly price?: string };

/** One request the fake received, in arrival order. */
export interface FakeVenueLogEntry {
  readonly method: string;
  readonly path: string;
  readonly clientOrderId?: string;
  /** What the fake did: `accepted`, `withheld`, `dropped`, `rejected:<code>`, `found`, `cancelled`, `served`. */
  readonly outcome: string;
}

/** An order as the fake keeps it (Binance field names and decimal strings). */
export interface FakeOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: string;
  type: string;
  timeInForce: string;
  origQty: string;
  price: string;
  executedQty: string;
  cumQuote: string;
  avgPrice: string;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';
  updateTime: number;
}

/** Options of the fake venue. */
export interface FakeVenueOptions {
  readonly apiKey?: string;
  readonly secret?: string;
  /** Directory of the recorded payloads; libs/venues/fixtures/binanceusdm by default. */
  readonly fixturesDir?: string;
  /** Time stamped on orders, in milliseconds (fixed, so responses are deterministic). */
  readonly timeMs?: number;
}

interface StreamFixtures {
  readonly [symbol: string]: { readonly depth: unknown[]; readonly trade: unknown[]; readonly markPrice: unknown[] };
}

/** Returns the directory of the recorded Binance USDⓈ-M payloads shipped with this library. */
export function binanceFixturesDir(): string {
  return join(__dirname, '..', '..', 'fixtures', 'binanceusdm');
}

// Fixed-point helpers on decimal strings (8 decimal places suffice for the fixtures).
const SCALE = 100_000_000n;
function toUnits(s: string): bigint {
  const [w, f = ''] = s.split('.');
  const neg = w.startsWith('-');
  const units = BigInt(w.replace('-', '') || '0') * SCALE + BigInt((f + '00000000').slice(0, 8));
  return neg ? -units : units;
}
function fromUnits(u: bigint): string {
  const neg = u < 0n;
  const a = neg ? -u : u;
  const frac = (a % SCALE).toString().padStart(8, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / SCALE}${frac ? `.${frac}` : ''}`;
}

/** The fake Binance USDⓈ-M venue. Start it with `FakeBinanceUsdm.start()`, close it with `close()`. */
export class FakeBinanceUsdm {
  /** Every request received, in order. */
  readonly log: FakeVenueLogEntry[] = [];
  private readonly orders = new Map<string, FakeOrder>();
  private readonly faults: SubmitFault[] = [];
  private readonly held = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private nextOrderId = 8_389_765_000;
  private readonly apiKey: string;
  private readonly secret: string;
  private readonly timeMs: number;
  private readonly exchangeInfo: unknown;
  private readonly depth: Record<string, unknown>;
  private readonly premiumIndex: Array<{ symbol: string }>;
  private readonly streams: StreamFixtures;
  private readonly wss: WebSocketServer;
  /** Number of websocket SUBSCRIBE requests received. */
  subscribeCount = 0;

  private constructor(
    private readonly server: Server,
    options: FakeVenueOptions,
  ) {
    this.apiKey = options.apiKey ?? FAKE_API_KEY;
    this.secret = options.secret ?? FAKE_SECRET;
    this.timeMs = options.timeMs ?? 1_767_225_600_000;
    const dir = options.fixturesDir ?? binanceFixturesDir();
    const load = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
    this.exchangeInfo = load('exchange-info.json');
    this.depth = load('depth.json') as Record<string, unknown>;
    this.premiumIndex = load('premium-index.json') as Array<{ symbol: string }>;
    this.streams = load('ws-streams.json') as StreamFixtures;
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (ws: WebSocket) => this.onConnection(ws));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a fake venue on 127.0.0.1 on an ephemeral port. */
  static async start(options: FakeVenueOptions = {}): Promise<FakeBinanceUsdm> {
    const server = createServer();
    const fake = new FakeBinanceUsdm(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** The HTTP base address, for example `http://127.0.0.1:41234`. */
  get httpUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The websocket base address, for example `ws://127.0.0.1:41234`. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Queues a fault for the next order submit (faults apply in the order queued). */
  injectSubmitFault(fault: SubmitFault): void {
    this.faults.push(fault);
  }

  /** Returns how many times an order with `clientOrderId` was submitted (every attempt, accepted or not). */
  submitsFor(clientOrderId: string): number {
    return this.log.filter((e) => e.method === 'POST' && e.path === '/fapi/v1/order' && e.clientOrderId === clientOrderId).length;
  }

  /** Returns a copy of the order the fake holds for `clientOrderId`, if any. */
  order(clientOrderId: string): FakeOrder | undefined {
    const o = this.orders.get(clientOrderId);
    return o === undefined ? undefined : { ...o };
  }

  /** Fills `quantity` of a working order at `price` (a partial fill unless it completes the order). */
  fill(clientOrderId: string, quantity: string, price: string): void {
    const o = this.orders.get(clientOrderId);
    if (o === undefined || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) throw new Error(`fake venue: no working order ${clientOrderId}`);
    const executed = toUnits(o.executedQty) + toUnits(quantity);
    if (executed > toUnits(o.origQty)) throw new Error(`fake venue: fill of ${quantity} overfills ${clientOrderId}`);
    const cumQuote = toUnits(o.cumQuote) + (toUnits(quantity) * toUnits(price)) / SCALE;
    o.executedQty = fromUnits(executed);
    o.cumQuote = fromUnits(cumQuote);
    o.avgPrice = fromUnits((cumQuote * SCALE) / executed);
    o.status = executed === toUnits(o.origQty) ? 'FILLED' : 'PARTIALLY_FILLED';
  }

  /** Closes every websocket connection (clients see a dropped connection). */
  dropWebSockets(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  /** Closes the server, every held response and every connection. */
  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        this.route(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        this.send(res, 500, { code: -1000, msg: `fake venue error: ${(e as Error).message}` });
      }
    });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const rawQuery = method === 'POST' ? body : url.search.slice(1);
    const params = new URLSearchParams(rawQuery);
    const served = (payload: unknown): void => {
      this.log.push({ method, path, outcome: 'served' });
      this.send(res, 200, payload);
    };
    if (method === 'GET' && path === '/fapi/v1/ping') return served({});
    if (method === 'GET' && path === '/fapi/v1/time') return served({ serverTime: this.timeMs });
    if (method === 'GET' && path === '/fapi/v1/exchangeInfo') return served(this.exchangeInfo);
    if (method === 'GET' && path === '/fapi/v1/depth') {
      const book = this.depth[params.get('symbol') ?? ''];
      if (book === undefined) return this.error(res, method, path, 400, -1121, 'Invalid symbol.');
      return served(book);
    }
    if (method === 'GET' && path === '/fapi/v1/premiumIndex') {
      const symbol = params.get('symbol');
      if (symbol === null) return served(this.premiumIndex);
      const one = this.premiumIndex.find((p) => p.symbol === symbol);
      return one === undefined ? this.error(res, method, path, 400, -1121, 'Invalid symbol.') : served(one);
    }
    const isOrderPath = path === '/fapi/v1/order' || path === '/fapi/v1/openOrders';
    if (!isOrderPath) return this.error(res, method, path, 404, -5000, `Path ${path} not found on the fake venue.`);
    const auth = this.checkSignature(req, rawQuery);
    if (auth !== undefined) return this.error(res, method, path, 401, auth.code, auth.msg);
    if (path === '/fapi/v1/openOrders' && method === 'GET') {
      const symbol = params.get('symbol');
      const open = [...this.orders.values()].filter((o) => (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') && (symbol === null || o.symbol === symbol));
      return served(open.map((o) => this.orderJson(o)));
    }
    if (method === 'POST') return this.placeOrder(res, params);
    const clientOrderId = params.get('origClientOrderId') ?? undefined;
    const orderId = params.get('orderId');
    const order = clientOrderId !== undefined ? this.orders.get(clientOrderId) : [...this.orders.values()].find((o) => String(o.orderId) === orderId);
    if (method === 'GET') {
      if (order === undefined) return this.error(res, method, path, 400, -2013, 'Order does not exist.', clientOrderId);
      this.log.push({ method, path, clientOrderId: order.clientOrderId, outcome: 'found' });
      return this.send(res, 200, this.orderJson(order));
    }
    if (method === 'DELETE') {
      if (order === undefined || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')) return this.error(res, method, path, 400, -2011, 'Unknown order sent.', clientOrderId);
      order.status = 'CANCELED';
      this.log.push({ method, path, clientOrderId: order.clientOrderId, outcome: 'cancelled' });
      return this.send(res, 200, this.orderJson(order));
    }
    return this.error(res, method, path, 405, -1000, `Method ${method} not supported on ${path}.`);
  }

  private error(res: ServerResponse, method: string, path: string, status: number, code: number, msg: string, clientOrderId?: string): void {
    this.log.push({ method, path, clientOrderId, outcome: `rejected:${code}` });
    this.send(res, status, { code, msg });
  }

  /** Returns undefined when the request carries the configured key and a valid HMAC-SHA256 signature. */
  private checkSignature(req: IncomingMessage, rawQuery: string): { code: number; msg: string } | undefined {
    const key = req.headers['x-mbx-apikey'];
    // Echoes the key it received, as some venues do, so tests can prove the adapter redacts it.
    if (key !== this.apiKey) return { code: -2015, msg: `Invalid API-key, IP, or permissions for action, request key ${String(key)}.` };
    const at = rawQuery.lastIndexOf('&signature=');
    if (at < 0) return { code: -1102, msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed." };
    const expected = createHmac('sha256', this.secret).update(rawQuery.slice(0, at)).digest('hex');
    const given = rawQuery.slice(at + '&signature='.length);
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return { code: -1022, msg: 'Signature for this request is not valid.' };
    return undefined;
  }

  private placeOrder(res: ServerResponse, params: URLSearchParams): void {
    const path = '/fapi/v1/order';
    const clientOrderId = params.get('newClientOrderId') ?? `fake-${this.nextOrderId}`;
    const fault = this.faults.shift();
    if (fault?.kind === 'reject') return this.error(res, 'POST', path, 400, fault.code, fault.msg, clientOrderId);
    if (fault?.kind === 'drop') {
      this.log.push({ method: 'POST', path, clientOrderId, outcome: 'dropped' });
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if (this.orders.has(clientOrderId)) return this.error(res, 'POST', path, 400, -4116, 'ClientOrderId is duplicated.', clientOrderId);
    const symbol = params.get('symbol') ?? '';
    if (this.depth[symbol] === undefined && !JSON.stringify(this.exchangeInfo).includes(`"${symbol}"`)) return this.error(res, 'POST', path, 400, -1121, 'Invalid symbol.', clientOrderId);
    const order: FakeOrder = {
      orderId: this.nextOrderId++,
      clientOrderId,
      symbol,
      side: params.get('side') ?? 'BUY',
      type: params.get('type') ?? 'LIMIT',
      timeInForce: params.get('timeInForce') ?? 'GTC',
      origQty: fromUnits(toUnits(params.get('quantity') ?? '0')),
      price: fromUnits(toUnits(params.get('price') ?? '0')),
      executedQty: '0',
      cumQuote: '0',
      avgPrice: '0',
      status: 'NEW',
      updateTime: this.timeMs,
    };
    this.orders.set(clientOrderId, order);
    if (fault?.kind === 'fill') this.fill(clientOrderId, fault.quantity, fault.price ?? order.price);
    if (fault?.kind === 'withhold') {
      this.log.push({ method: 'POST', path, clientOrderId, outcome: 'withheld' });
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    this.log.push({ method: 'POST', path, clientOrderId, outcome: 'accepted' });
    this.send(res, 200, this.orderJson(order));
  }

  private orderJson(o: FakeOrder): Record<string, unknown> {
    return {
      orderId: o.orderId,
      symbol: o.symbol,
      status: o.status,
      clientOrderId: o.clientOrderId,
      price: o.price,
      avgPrice: o.avgPrice,
      origQty: o.origQty,
      executedQty: o.executedQty,
      cumQty: o.executedQty,
      cumQuote: o.cumQuote,
      timeInForce: o.timeInForce,
      type: o.type,
      reduceOnly: false,
      closePosition: false,
      side: o.side,
      positionSide: 'BOTH',
      stopPrice: '0',
      workingType: 'CONTRACT_PRICE',
      priceProtect: false,
      origType: o.type,
      priceMatch: 'NONE',
      selfTradePreventionMode: 'NONE',
      goodTillDate: 0,
      time: this.timeMs,
      updateTime: o.updateTime,
    };
  }

  private onConnection(ws: WebSocket): void {
    ws.on('message', (data: Buffer) => {
      let msg: { method?: string; params?: string[]; id?: number | string };
      try {
        msg = JSON.parse(data.toString('utf8'));
      } catch {
        ws.send(JSON.stringify({ code: 2, msg: 'Invalid JSON' }));
        return;
      }
      ws.send(JSON.stringify({ result: null, id: msg.id }));
      if (msg.method !== 'SUBSCRIBE') return;
      this.subscribeCount += 1;
      for (const stream of msg.params ?? []) {
        const [lowerSymbol, channel] = stream.split('@');
        const recorded = this.streams[(lowerSymbol ?? '').toUpperCase()];
        const payloads = recorded === undefined ? [] : channel === 'depth' ? recorded.depth : channel === 'trade' ? recorded.trade : channel === 'markPrice' ? recorded.markPrice : [];
        for (const p of payloads) ws.send(JSON.stringify(p));
      }
    });
  }
}
