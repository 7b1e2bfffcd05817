/** Text that replaces a secret. */
export const REDACTED = '[REDACTED]';

/**
 * Removes secrets (API keys, secrets, passphrases) from text before it leaves the adapter in
 * an error message or a log line. Secrets shorter than 4 characters are refused: replacing
 * them would mangle ordinary text and they are not credible credentials.
 */
export class Redactor {
  private readonly secrets: readonly string[];

  /** Returns a redactor for the given secrets (empty and undefined values are ignored). */
  constructor(secrets: readonly (string | undefined)[]) {
    const present = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
    for (const s of present) if (s.length < 4) throw new RangeError('a credential shorter than 4 characters cannot be redacted safely');
    // Longest first, so a secret that contains another is removed whole.
    this.secrets = [...new Set(present)].sort((a, b) => b.length - a.length);
  }

  /** Returns `text` with every secret (and its URL-encoded form) replaced by [REDACTED]. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      out = out.split(s).join(REDACTED);
      const encoded = encodeURIComponent(s);
      if (encoded !== s) out = out.split(encoded).join(REDACTED);
    }
    return out;
  }
}

/** A structured log sink; every message and field the trading adapter passes is already redacted. */
export interface VenueLogger {
  info(message: string, fields?: Record<string, string | number | boolean | null>): void;
  warn(message: string, fields?: Record<string, string | number | boolean | null>): void;
}

/** A logger that drops everything. */
export const silentLogger: VenueLogger = { info: () => undefined, warn: () => undefined };
