/** The why server's routes, as a pure function of the request line: `GET /why/<order|fill|intent|signal>/<id>` → the chain as JSON. */
import { isWhyId } from './why-args';
import { whyFill, whyIntent, type WhyIndex, whyOrder, whySignal } from './why-chain';

/** A response: the status and the JSON body. */
export interface WhyResponse {
  readonly status: number;
  readonly body: unknown;
}

const ROUTE = /^\/why\/(order|fill|intent|signal)\/([^/?#]+)$/;

/** Returns the response to `method` `path` of the session indexed by `index`. */
export function routeWhy(index: WhyIndex, sessionId: string, method: string, path: string): WhyResponse {
  if (method !== 'GET') return { status: 405, body: { error: `only GET is served; received ${method}` } };
  const m = ROUTE.exec(path.split('?')[0]!);
  if (!m) return { status: 404, body: { error: `no route ${path}; use /why/order/<clientOrderId>, /why/fill/<fillId>, /why/intent/<intentId> or /why/signal/<fvStateEventId>` } };
  const kind = m[1] as 'order' | 'fill' | 'intent' | 'signal';
  const id = decodeURIComponent(m[2]!);
  if (!isWhyId(id)) return { status: 400, body: { error: `the ${kind} id must be 1 to 64 letters, digits, dashes or underscores; received ${JSON.stringify(id)}` } };
  const chain = kind === 'order' ? whyOrder(index, id) : kind === 'fill' ? whyFill(index, id) : kind === 'intent' ? whyIntent(index, id) : whySignal(index, id);
  if (chain === undefined) return { status: 404, body: { error: `session ${sessionId} has no ${kind} ${id}` } };
  return { status: 200, body: { sessionId, ...chain } };
}
