// RFC 4180 rows from text that arrives in pieces (a report's CSV as it downloads).
//
// Why not a library: csv-parse (still the tests' oracle, test/unit/csv-rows.test.ts) took
// 19-30 µs a row of a report (100k rows of ~400 bytes, 30 columns), most of the fetch
// worker's time on the report path. papaparse is fast, but its Node stream drops parse errors,
// and a cut or malformed file must be an error. Here a line without a quote is split by
// String.prototype.split (native); only lines with quotes are walked field by field.

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Rows longer than this (one quoted field never closed, say) are refused rather than buffered. */
const MAX_ROW_CHARS = 1 << 20;

export class CsvRows {
  /** Text after the last complete row: a row still arriving. */
  #rest = '';
  #started = false;
  /** Lines consumed so far, for error messages (1-based line of the next row). */
  #line = 1;

  /** Appends the complete rows of the text so far to out; a partial last row waits for more. */
  push(text: string, out: string[][]): void {
    let s = this.#rest + text;
    if (!this.#started && s.length > 0) {
      this.#started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); // a UTF-8 BOM
    }
    this.#rest = s.slice(this.#split(s, out, false));
    if (this.#rest.length > MAX_ROW_CHARS) throw new CsvError(`line ${this.#line}: a row longer than ${MAX_ROW_CHARS} characters (a quote never closed?)`);
  }

  /** The input has ended: its last row (without a line break) too; an open quote is an error. */
  end(out: string[][]): void {
    const s = this.#rest;
    this.#rest = '';
    if (s.length === 0) return;
    const used = this.#split(s, out, true);
    if (used < s.length) throw new CsvError(`line ${this.#line}: a quoted field is not closed at the end of the file`);
  }

  /** Splits the complete rows of s into out; returns where the unfinished part begins. */
  #split(s: string, out: string[][], atEnd: boolean): number {
    let pos = 0;
    // The next quote at or after pos, found once (not once a line: one quote far ahead would
    // make every line before it scan up to it).
    let quote = s.indexOf('"');
    while (pos < s.length) {
      const nl = s.indexOf('\n', pos);
      const lineEnd = nl < 0 ? (atEnd ? s.length : -1) : nl;
      if (lineEnd < 0) return pos;
      if (quote >= 0 && quote < pos) quote = s.indexOf('"', pos);
      if (quote < 0 || quote > lineEnd) {
        const line = lineEnd > pos && s.charCodeAt(lineEnd - 1) === 13 ? s.slice(pos, lineEnd - 1) : s.slice(pos, lineEnd);
        if (line.length > 0) out.push(line.split(','));
        this.#line++;
        pos = lineEnd + 1;
        continue;
      }
      const next = this.#quotedRow(s, pos, out, atEnd);
      if (next < 0) return pos;
      pos = next;
    }
    return Math.min(pos, s.length);
  }

  /**
   * One row with quotes from start; returns the index after its line break, or -1 if it is not
   * all here yet: a row that reaches the end of the text before its line break is read again
   * whole from the next piece on (so a "" cut between its two quotes is never misread).
   */
  #quotedRow(s: string, start: number, out: string[][], atEnd: boolean): number {
    const row: string[] = [];
    let i = start;
    let lines = 1;
    for (;;) {
      let field: string;
      if (s.charCodeAt(i) === 34) {
        field = '';
        let j = i + 1;
        for (;;) {
          const q = s.indexOf('"', j);
          if (q < 0) return -1;
          field += s.slice(j, q);
          if (s.charCodeAt(q + 1) === 34) {
            field += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        lines += countLineBreaks(field);
        // After the closing quote: a comma, a line break ("\n" or "\r\n") or the end of the input.
        const c = s.charCodeAt(i);
        if (c === 13 && i + 1 >= s.length && !atEnd) return -1; // "\r": its "\n" may be in the next piece
        const closes = i >= s.length || c === 44 || c === 10 || (c === 13 && (i + 1 >= s.length || s.charCodeAt(i + 1) === 10));
        if (!closes) throw new CsvError(`line ${this.#line}: a character after the closing quote of field ${row.length + 1}`);
      } else {
        let k = i;
        while (k < s.length) {
          const c = s.charCodeAt(k);
          if (c === 44 || c === 10) break;
          if (c === 34) throw new CsvError(`line ${this.#line}: a quote inside unquoted field ${row.length + 1}`);
          k++;
        }
        field = s.charCodeAt(k - 1) === 13 && k > i && (k >= s.length || s.charCodeAt(k) === 10) ? s.slice(i, k - 1) : s.slice(i, k);
        i = k;
      }
      row.push(field);
      if (i >= s.length) {
        if (!atEnd) return -1;
        out.push(row);
        this.#line += lines;
        return s.length;
      }
      const c = s.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      // A line break, "\r\n" or "\n" (a lone "\r" at the very end of the input is its end).
      const after = c === 13 ? i + 2 : i + 1;
      out.push(row);
      this.#line += lines;
      return Math.min(after, s.length);
    }
  }
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
