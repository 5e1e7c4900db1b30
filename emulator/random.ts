/**
 * Seeded pseudo-random numbers, so that fault injection (random latency, errors, resets) replays identically
 * for the same seed and the same request sequence, which keeps tests deterministic.
 */

/** A source of uniformly distributed numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * Creates a mulberry32 generator. It is tiny, fast and good enough for fault dice; it is not for secrets.
 * @param seed any 32-bit integer; without one a seed is drawn from Math.random.
 */
export function createRandom(seed?: number): RandomSource {
  let state = (seed ?? Math.floor(Math.random() * 0x1_0000_0000)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
