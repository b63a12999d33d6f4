/**
 * Deterministic random numbers for initialization. Each parameter gets its own stream, seeded
 * from (seed, parameter name), so a weight does not change when other layers are added.
 */
function hashString(seed: number, text: string): number {
  // FNV-1a over the seed's bytes then the text.
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h ^= byte & 0xff;
    h = Math.imul(h, 0x01000193);
  };
  for (let i = 0; i < 4; i++) mix(seed >>> (8 * i));
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    mix(c);
    mix(c >>> 8);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, and good enough for weight init. Returns floats in [0, 1). */
export function rng(seed: number, stream = ''): () => number {
  let a = hashString(seed, stream);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fillUniform(out: Float32Array, next: () => number, low: number, high: number): void {
  const span = high - low;
  for (let i = 0; i < out.length; i++) out[i] = low + span * next();
}

/** Box-Muller, both values used. */
export function fillNormal(out: Float32Array, next: () => number, std: number): void {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - next();
    const v = next();
    const r = std * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
}
