// A record's raw row held as its JSON text (store-records.ts re-exports these). Apart from
// the store so the fetch worker (fetch-worker-main.ts), which only reads and seals pages,
// does not load the ledger's code.
/**
 * A record's row as received, already JSON text (what detail_records.raw stores). An import
 * holds a chunk of pages until it commits: one string per row instead of the parsed row's
 * object tree keeps that chunk small (and out of the garbage collector's way).
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The record, its raw row now held as JSON text (the same text storing it would write). */
export function compactRaw<R extends { raw: Record<string, unknown> }>(r: R): R {
  if (!((r.raw as unknown) instanceof RawJson)) r.raw = new RawJson(stringify(r.raw)) as unknown as Record<string, unknown>;
  return r;
}

// A row as Telnyx sent it comes from JSON.parse, so it holds no bigint and the plain (much
// faster) stringify serves; the replacer is only for a row built in code with one.
export const stringify = (raw: unknown): string => {
  if (raw instanceof RawJson) return raw.text;
  try {
    return JSON.stringify(raw);
  } catch {
    return JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
};
