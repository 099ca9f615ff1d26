// Our phone numbers and the rate deck each one is billed on. Rates are decimal strings with
// at most five decimals, so rate * billed_sec / 60 is always an exact nano-unit amount for
// both 60/60 (billed_sec a multiple of 60) and 6/6 (a multiple of 6) increments.
import { parseMoney, type Nanos } from '../../../shared/money.ts';
import { hash3, makeUuid } from './prng.ts';
import { SALT } from './salts.ts';

export interface RateDeck {
  /** Per-minute rates. */
  inboundRate: string;
  outboundRate: string;
  /** 60 (60/60: whole minutes) or 6 (6/6: six-second steps, minimum 6 s). */
  incrementSec: 60 | 6;
  sipTrunkingRate: string;
  webrtcRate: string;
  /** Per message part. */
  smsOutboundRate: string;
  smsInboundRate: string;
  mmsOutboundRate: string;
  mmsInboundRate: string;
  /** Per message (not per part); inbound messages carry no carrier fee. */
  smsCarrierFee: string;
  mmsCarrierFee: string;
}

export interface OurNumber {
  index: number;
  e164: string;
  currency: 'USD' | 'EUR';
  /** Country dialling code, as a record's `country_code` carries it. */
  countryCode: string;
  deck: RateDeck;
  /** Same deck in nano-units, parsed once. */
  nanos: { [K in Exclude<keyof RateDeck, 'incrementSec'>]: Nanos };
  connectionId: string;
  sipConnectionId: string;
  messagingProfileId: string;
  billingGroupId: string;
}

const OUT_USD = ['0.0070', '0.009', '0.0125', '0.0100', '0.0085'];
const IN_USD = ['0.0035', '0.0045', '0.0060', '0.0055'];
const OUT_EUR = ['0.0110', '0.0080', '0.0135'];
const IN_EUR = ['0.0050', '0.0065'];
const SIP = ['0.0020', '0.0015', '0.0025'];
const SMS_FEE = ['0.00305', '0.0030', '0.00250'];

function pick<T>(list: readonly T[], h: number): T {
  return list[h % list.length]!;
}

function digits(h1: number, h2: number, len: number): string {
  // Two hashes give up to ~19 decimal digits without floats losing precision.
  return (String(h1).padStart(10, '0') + String(h2).padStart(10, '0')).slice(-len);
}

export function makeNumbers(seed: number, count: number): OurNumber[] {
  const out: OurNumber[] = [];
  for (let k = 0; k < count; k++) {
    const h = (n: number) => hash3(seed, SALT.number, k, n);
    // Every third number (k = 2, 5, ...) bills in EUR: a German number on a EUR deck.
    const eur = k % 3 === 2;
    // Last three digits = k, so numbers never collide (up to 1000 of them).
    const local = String(1000 + (h(1) % 9000)) + String(k % 1000).padStart(3, '0');
    const e164 = eur ? `+4930${String(h(2) % 1000).padStart(3, '0')}${local.slice(2)}` : `+1555${local}`;
    const deck: RateDeck = {
      inboundRate: pick(eur ? IN_EUR : IN_USD, h(3)),
      outboundRate: pick(eur ? OUT_EUR : OUT_USD, h(4)),
      // Alternate so both kinds of increments are always present.
      incrementSec: k % 2 === 0 ? 60 : 6,
      sipTrunkingRate: pick(SIP, h(5)),
      webrtcRate: '0.002',
      smsOutboundRate: eur ? '0.0060' : pick(['0.0040', '0.0025'], h(6)),
      smsInboundRate: eur ? '0.0030' : pick(['0.0040', '0.0020'], h(7)),
      mmsOutboundRate: eur ? '0.0200' : '0.0150',
      mmsInboundRate: eur ? '0.0120' : '0.0100',
      smsCarrierFee: eur ? '0.0010' : pick(SMS_FEE, h(8)),
      mmsCarrierFee: eur ? '0.0040' : '0.0050',
    };
    const nanos = {} as OurNumber['nanos'];
    for (const key of Object.keys(deck) as (keyof RateDeck)[]) {
      if (key !== 'incrementSec') nanos[key] = parseMoney(deck[key]);
    }
    out.push({
      index: k,
      e164,
      currency: eur ? 'EUR' : 'USD',
      countryCode: eur ? '49' : '1',
      deck,
      nanos,
      connectionId: `1${digits(h(9), h(10), 18)}`,
      sipConnectionId: `2${digits(h(11), h(12), 18)}`,
      messagingProfileId: makeUuid(seed, SALT.profile, k),
      billingGroupId: makeUuid(seed, SALT.billingGroup, k),
    });
  }
  return out;
}

/** Billed seconds under an increment: 60/60 rounds up to whole minutes, 6/6 to 6 s (min 6). */
export function billedSeconds(callSec: number, incrementSec: number): number {
  if (callSec <= 0) return 0;
  return Math.max(incrementSec, Math.ceil(callSec / incrementSec) * incrementSec);
}

/** rate * billedSec / 60 in nano-units; throws if the deck would make it inexact. */
export function voiceCostNanos(rateNanos: Nanos, billedSec: number): Nanos {
  const num = rateNanos * BigInt(billedSec);
  if (num % 60n !== 0n) throw new Error(`inexact voice cost: ${rateNanos} * ${billedSec} / 60`);
  return num / 60n;
}
