// Seeded, hash-based randomness. Every generated fact is a pure function of (seed, salt,
// index), so call #734 211 can be produced on its own without generating the ones before it,
// and the same seed always gives the same account. Only 32-bit integer maths (Math.imul and
// shifts): no floats feed the hash, so results cannot differ between machines.

/** 32-bit finalizer (murmur3 fmix32 flavour). */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Hash of a seed, a salt (what is being generated) and up to two indexes. */
export function hash3(seed: number, salt: number, a: number, b = 0): number {
  let h = mix32((seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  h = mix32((h ^ Math.imul(a >>> 0, 0x85ebca77)) >>> 0);
  h = mix32((h + Math.imul(b >>> 0, 0xc2b2ae3d)) >>> 0);
  return h;
}

/**
 * A small stream (mulberry32) seeded from a hash. `next()` is a float in [0, 1) built from
 * 32 integer bits by one exact division, `u32()` the raw integer.
 */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  u32(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  next(): number {
    return this.u32() / 4294967296;
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// --- An invertible 32-bit permutation -----------------------------------------------------
// Generated UUIDs carry perm(index) in their first 8 hex digits, so an id read back from a
// request (`filter[call_leg_id]=...`) maps to its call in O(1), no lookup table. The rest of
// the UUID is hash output, and the id is verified by regenerating it, so a foreign id never
// maps to a call by accident.

const M1 = 0x7feb352d;
const M2 = 0x846ca68b;
const M1_INV = modInverse32(M1);
const M2_INV = modInverse32(M2);

function modInverse32(a: number): number {
  // Newton's iteration for the inverse of an odd number modulo 2^32.
  let x = a >>> 0;
  for (let i = 0; i < 5; i++) x = Math.imul(x, (2 - Math.imul(a, x)) >>> 0) >>> 0;
  return x >>> 0;
}

export function permute32(x: number, key: number): number {
  x = (x ^ key) >>> 0;
  x = Math.imul(x, M1) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, M2) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return (x ^ Math.imul(key, 0x27d4eb2f)) >>> 0;
}

export function unpermute32(y: number, key: number): number {
  y = (y ^ Math.imul(key, 0x27d4eb2f)) >>> 0;
  y = (y ^ (y >>> 16)) >>> 0;
  y = Math.imul(y, M2_INV) >>> 0;
  y = (y ^ (y >>> 16)) >>> 0;
  y = Math.imul(y, M1_INV) >>> 0;
  return (y ^ key) >>> 0;
}

// Byte -> two hex digits: formatting ids is the hot path of a page of records.
const HEX2: string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hex8(x: number): string {
  return HEX2[(x >>> 24) & 255]! + HEX2[(x >>> 16) & 255]! + HEX2[(x >>> 8) & 255]! + HEX2[x & 255]!;
}

/** A v4-shaped UUID for (salt, index, sub) that `uuidIndex` can map back to `index`. */
const permKeys = new Map<number, number>();
function permKey(seed: number, salt: number): number {
  const k = seed * 65536 + salt;
  let key = permKeys.get(k);
  if (key === undefined) {
    key = hash3(seed, salt, 0xffffffff, 0x5eed);
    if (permKeys.size > 4096) permKeys.clear();
    permKeys.set(k, key);
  }
  return key;
}

export function makeUuid(seed: number, salt: number, index: number, sub = 0): string {
  const key = permKey(seed, salt);
  const a = permute32(index, key);
  const b = hash3(seed, salt, index, sub * 3 + 1);
  const c = hash3(seed, salt, index, sub * 3 + 2);
  const d = hash3(seed, salt, index, sub * 3 + 3);
  const bh = hex8((b & 0xffff0fff) | 0x00004000); // version 4
  const ch = hex8((c & 0x3fffffff) | 0x80000000); // RFC 4122 variant
  return `${hex8(a)}-${bh.slice(0, 4)}-${bh.slice(4)}-${ch.slice(0, 4)}-${ch.slice(4)}${hex8(d)}`;
}

/** The index a `makeUuid(seed, salt, index, sub)` id was made from, or null. */
export function uuidIndex(seed: number, salt: number, id: string, sub = 0): number | null {
  if (typeof id !== 'string' || id.length !== 36) return null;
  const head = Number.parseInt(id.slice(0, 8), 16);
  if (!Number.isFinite(head)) return null;
  const index = unpermute32(head, permKey(seed, salt));
  return makeUuid(seed, salt, index, sub) === id.toLowerCase() ? index : null;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** An opaque "v3:..." call_control_id, like Telnyx's (never a UUID). */
export function makeCallControlId(seed: number, salt: number, index: number): string {
  let out = 'v3:';
  for (let w = 0; w < 9; w++) {
    let h = hash3(seed, salt, index, 100 + w);
    for (let k = 0; k < 5; k++) {
      out += B64URL[h & 63];
      h >>>= 6;
    }
  }
  return out + B64URL[hash3(seed, salt, index, 99) & 63]!;
}

/** Seed given as any string or number, folded to 32 bits. */
export function seedFrom(input: number | string): number {
  if (typeof input === 'number' && Number.isInteger(input)) return mix32((input >>> 0) ^ Math.floor(input / 0x100000000));
  const s = String(input);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}
