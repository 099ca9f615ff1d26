// JSON bodies read so that no number is rounded on the way in. Telnyx sends some amounts as
// JSON numbers (openapi/spec3.yml #/components/schemas/CallCost: payload.total_cost and
// cost_parts[].cost/rate are `type: number`), and JSON.parse turns a number into a double.
//
// A double carries any decimal of at most 15 significant digits exactly: String(value) then
// spells the same decimal (perhaps shorter: "0.0180" -> "0.018"), and shared/money.ts reads
// that text without loss. Only a number with more digits, or an extreme exponent, can come
// out of JSON.parse as a different value. Such a number is kept as its source text (a
// string), read through the reviver's `context.source` (Node 22+, V8's JSON.parse source
// text access): money parsing then takes the exact decimal, or refuses it (more than nine
// decimals) instead of rounding.

/**
 * A number token that a double may not carry exactly: 16+ digits, or a 3-digit exponent. Only
 * a token outside strings counts, and a JSON value starts the text or follows ':', '[' or ','
 * (whitespace between). So a long digit string in quotes, such as the connection_id
 * ("1494404757140276705") on every voice detail record, no longer sends a whole page through
 * the reviver, which took ~20 µs a record of the import's fetch worker. A match inside a
 * string (text with ": 1234567890123456") only costs the slow path, never a wrong value.
 */
const MAY_ROUND = /(?:^|[:,[])\s*-?\d(?:[\d.]{15,}|[\d.]*[eE][+-]?\d{3})/;

/** Could JSON.parse change a number of this text? (False means it cannot.) */
export function mayRound(text: string): boolean {
  return MAY_ROUND.test(text);
}

type SourceContext = { source?: string } | undefined;

/** JSON.parse, except that a number a double would change is kept as its exact source text. */
export function parseJsonExact(text: string): unknown {
  if (!mayRound(text)) return JSON.parse(text);
  return JSON.parse(text, reviveExact as (this: unknown, key: string, value: unknown) => unknown);
}

function reviveExact(_key: string, value: unknown, context?: SourceContext): unknown {
  if (typeof value !== 'number') return value;
  const source = context?.source;
  // No source text (an engine without it): node-version.ts refuses such engines; keep the value.
  if (source === undefined) return value;
  return sameDecimal(source, String(value)) ? value : source;
}

/** Do two decimal texts (sign, digits, optional fraction and exponent) name the same number? */
export function sameDecimal(a: string, b: string): boolean {
  const x = canonical(a);
  return x !== null && x === canonical(b);
}

const NUMBER = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** "digits e exponent" with no leading or trailing zeros: one spelling per value. */
function canonical(text: string): string | null {
  const m = NUMBER.exec(text.trim());
  if (!m) return null;
  const digits = `${m[2]}${m[3] ?? ''}`;
  let exponent = Number(m[4] ?? '0') - (m[3]?.length ?? 0);
  const trimmedStart = digits.replace(/^0+/, '');
  if (trimmedStart === '') return '0';
  const significant = trimmedStart.replace(/0+$/, '');
  exponent += trimmedStart.length - significant.length;
  return `${m[1] ?? ''}${significant}e${exponent}`;
}
