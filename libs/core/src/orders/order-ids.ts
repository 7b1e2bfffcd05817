import { deriveId } from '../canonical';
import type { TimeUs, VenueId } from '../types';

/** A strategy's intent to trade, derived from strategy, bucket, event time and sequence. */
export type IntentId = string;
/** The id we give an order at the venue: at most 32 characters of `[A-Za-z0-9_-]`. */
export type ClientOrderId = string;
/** Our id for a venue fill, derived from the venue and the venue's trade id. */
export type FillId = string;
/** The key that makes a repeated venue event a no-op. */
export type IdempotencyKey = string;

/** The longest client order id that every supported venue accepts. */
export const MAX_CLIENT_ORDER_ID_LENGTH = 32;

const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Returns the intent id for a strategy's `sequence`-th intent at `atUs` in `bucketId` (64 hex characters). */
export function deriveIntentId(strategyId: string, bucketId: string, atUs: TimeUs, sequence: number): IntentId {
  return deriveId('order-intent', [strategyId, bucketId, atUs, sequence]);
}

/**
 * Returns the client order id for an intent on a venue: 32 lower-case hex characters of the
 * SHA-256 of its inputs, so it fits every venue's limit and is the same on every replay.
 * `attempt` distinguishes a deliberate resubmission of the same intent.
 */
export function deriveClientOrderId(intentId: IntentId, venue: VenueId, attempt = 0): ClientOrderId {
  return deriveId('client-order', [intentId, venue, attempt], MAX_CLIENT_ORDER_ID_LENGTH);
}

/** Returns true when `id` is 1 to 32 characters of `[A-Za-z0-9_-]`. */
export function isValidClientOrderId(id: string): boolean {
  return CLIENT_ORDER_ID.test(id);
}

/** Returns our fill id for the venue's trade id. */
export function deriveFillId(venue: VenueId, venueTradeId: string): FillId {
  return deriveId('fill', [venue, venueTradeId], 32);
}

/**
 * Returns the idempotency key of a venue event: the order, the kind of event and the venue's
 * own identity for it (event id, trade id or query id). The same venue event always gives
 * the same key.
 */
export function deriveIdempotencyKey(clientOrderId: ClientOrderId, eventType: string, venueIdentity: string): IdempotencyKey {
  return deriveId('order-event', [clientOrderId, eventType, venueIdentity], 32);
}
