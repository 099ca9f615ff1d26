// The per-currency and per-number fallback rates as lines of text in Settings:
//   "EUR 0.0050 0.0110"                 currency, inbound, outbound per minute
//   "+4915112345678 EUR 0.0050 0.0110"  a number, its currency and rates
// Only the shape is checked here; the core's contract checks the values (and names the line).
import type { FallbackRate } from '../../shared/contract.ts';

export type NumberRate = FallbackRate & { number: string };

export function currencyLinesText(rows: readonly FallbackRate[]): string {
  return rows.map((r) => `${r.currency} ${r.inboundPerMinute} ${r.outboundPerMinute}`).join('\n');
}

export function numberLinesText(rows: readonly NumberRate[]): string {
  return rows.map((r) => `${r.number} ${r.currency} ${r.inboundPerMinute} ${r.outboundPerMinute}`).join('\n');
}

type Parsed<T> = { ok: true; rows: T[] } | { ok: false; message: string };

const lines = (text: string) =>
  text
    .split('\n')
    .map((l, i) => ({
      words: l
        .trim()
        .split(/[\s,;]+/)
        .filter(Boolean),
      n: i + 1,
    }))
    .filter((l) => l.words.length > 0);

export function parseCurrencyLines(text: string): Parsed<FallbackRate> {
  const rows: FallbackRate[] = [];
  for (const { words, n } of lines(text)) {
    if (words.length !== 3) return { ok: false, message: `Line ${n}: write a currency and two rates, e.g. "EUR 0.0050 0.0110".` };
    rows.push({ currency: words[0]!.toUpperCase(), inboundPerMinute: words[1]!, outboundPerMinute: words[2]! });
  }
  return { ok: true, rows };
}

export function parseNumberLines(text: string): Parsed<NumberRate> {
  const rows: NumberRate[] = [];
  for (const { words, n } of lines(text)) {
    if (words.length !== 4) return { ok: false, message: `Line ${n}: write a number, its currency and two rates, e.g. "+4915112345678 EUR 0.0050 0.0110".` };
    rows.push({ number: words[0]!, currency: words[1]!.toUpperCase(), inboundPerMinute: words[2]!, outboundPerMinute: words[3]! });
  }
  return { ok: true, rows };
}
