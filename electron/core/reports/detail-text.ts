// A cost change's detail (JSON in cost_history.detail: rate, billed seconds, record ids,
// parts...) as words a person reads: "record: rec-1; rate: 0.0018; billed seconds: 60".
// Nothing is dropped but empty values; nested objects go in parentheses, list items are
// separated by commas. Text that is not JSON is written as stored.

const LABELS: Record<string, string> = {
  recordId: 'record',
  billedSec: 'billed seconds',
  estimatedBilledSec: 'estimated billed seconds',
  ratePerMinute: 'rate per minute',
  carrierFee: 'carrier fee',
  records: 'detail records',
  missingParts: 'missing parts',
  eventTotalMismatch: 'call.cost total disagreeing with its parts',
  partsSum: 'sum of parts',
  recordCost: 'record cost',
};

/** "estimateMethod" -> "estimate method"; known keys by LABELS. */
function label(key: string): string {
  return (
    LABELS[key] ??
    key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/_/g, ' ')
      .toLowerCase()
  );
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function valueText(v: unknown, nested: boolean): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v))
    return v
      .filter((x) => !isEmpty(x))
      .map((x) => valueText(x, true))
      .join(', ');
  if (v !== null && typeof v === 'object') {
    const body = Object.entries(v)
      .filter(([, x]) => !isEmpty(x))
      .map(([k, x]) => `${label(k)}: ${valueText(x, true)}`)
      .join(nested ? ', ' : '; ');
    return nested ? `(${body})` : body;
  }
  return '';
}

/** The readable detail of a history row; null when it has none. */
export function detailText(detail: unknown): string | null {
  if (detail === null || detail === undefined || detail === '') return null;
  const raw = typeof detail === 'string' ? detail : String(detail);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  return valueText(parsed, false) || null;
}
