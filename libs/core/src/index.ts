/**
 * The pure decision core. Nothing here does I/O, reads a clock or uses ambient randomness:
 * the same inputs in the same order give the same outputs, bit for bit.
 */
export * from './canonical';
export * from './prng';
