// The browser host's CSV download, fetched by the page instead of handed to the browser's
// download manager: so the dialog can say how many rows were written once the whole file has
// arrived, and a transfer the host broke off (it can only close the connection once the
// headers are out) is reported as a failure instead of a partial file saved in silence.

/** Records in CSV text, RFC 4180: a line break outside double quotes ends one. Feed it chunk by chunk. */
export class CsvRecordCounter {
  records = 0;
  /** Records that are a report's "Total" rows (first cell `Total`): not data rows. */
  totalRows = 0;
  #inQuotes = false;
  #last = '';
  #head = '';
  #headOpen = true;

  add(text: string): void {
    let q = this.#inQuotes;
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.#headOpen) this.#readHead(text[i]!);
      if (c === 34)
        q = !q; // '"' (an escaped "" toggles twice)
      else if (c === 10 && !q) {
        n++; // '\n' (CRLF ends on it)
        this.#head = '';
        this.#headOpen = true;
      }
    }
    this.#inQuotes = q;
    this.records += n;
    if (text.length > 0) this.#last = text[text.length - 1]!;
  }

  // The first characters of the current record: a Total row starts with `Total,` (unquoted).
  #readHead(ch: string): void {
    this.#head += ch;
    if (this.#head.length < 6) return;
    if (this.#head === 'Total,') this.totalRows++;
    this.#headOpen = false;
  }

  /** Records in everything fed, a last one without a final line break included. */
  total(): number {
    return this.records + (this.#last !== '' && this.#last !== '\n' ? 1 : 0);
  }
}

/** `filename="x.csv"` of a Content-Disposition header, else the fallback. */
export function attachmentName(header: string | null, fallback: string): string {
  const m = header ? /filename="([^"]+)"/.exec(header) : null;
  return m?.[1] ?? fallback;
}

export interface FetchedCsv {
  blob: Blob;
  fileName: string;
  /** Data rows: records after the header line, the Total rows left out. */
  rows: number;
}

/** Fetches the whole CSV at `url`, counting its records as they arrive; throws if the transfer breaks. */
export async function fetchCsv(url: string): Promise<FetchedCsv> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok || !res.body) {
    let message = `the host answered HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status
    }
    throw new Error(message);
  }
  const counter = new CsvRecordCounter();
  const decoder = new TextDecoder();
  const parts: Uint8Array[] = [];
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    counter.add(decoder.decode(value, { stream: true }));
  }
  counter.add(decoder.decode());
  return {
    blob: new Blob(parts as BlobPart[], { type: 'text/csv;charset=utf-8' }),
    fileName: attachmentName(res.headers.get('content-disposition'), 'cost-desk-report.csv'),
    rows: Math.max(0, counter.total() - 1 - counter.totalRows),
  };
}

/** Hands a fetched file to the browser to save (an <a download> on an object URL). */
export function saveBlob(blob: Blob, fileName: string): string {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  return url;
}
