import { sha256 } from '@noble/hashes/sha2';

/**
 * A seeded pseudo-random number generator: xoshiro128** (Blackman and Vigna), seeded from
 * the SHA-256 of a seed string or number so that nearby seeds give unrelated streams.
 * It is the only source of randomness the core accepts; pass it in, never create one from
 * the clock.
 */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  private constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s3 = 1;
  }

  /** Returns a generator seeded from `seed` (any integer or string). */
  static seeded(seed: number | string): Prng {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
      throw new RangeError(`a numeric seed must be a safe integer, received ${seed}`);
    }
    const bytes = sha256(new TextEncoder().encode(`prng:${String(seed)}`));
    const word = (i: number): number => (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    return new Prng(word(0), word(4), word(8), word(12));
  }

  /** Returns an independent generator derived from this one's seed path and a label. */
  fork(label: string | number): Prng {
    return Prng.seeded(`${this.nextUint32()}:${this.nextUint32()}:${String(label)}`);
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Returns a uniform float in [0, 1) with 53 bits of precision. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Returns a uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Returns a uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, received ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Returns a standard normal variate (Marsaglia polar method). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return mean + sd * u * m;
  }

  /** Returns an exponential variate with the given rate. */
  exponential(rate: number): number {
    if (!(rate > 0)) throw new RangeError(`exponential(rate) needs a positive rate, received ${rate}`);
    return -Math.log(1 - this.next()) / rate;
  }

  /** Returns a Poisson variate with mean `lambda` (Knuth for small means, normal approximation above 50). */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new RangeError(`poisson(lambda) needs lambda >= 0, received ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k += 1;
      p *= this.next();
    } while (p > limit);
    return k - 1;
  }

  /** Returns true with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
