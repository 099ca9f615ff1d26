// A report written to a file: under a temporary sibling name, renamed when complete, so a
// failure never leaves half a report under the name asked for (export.run with `out`, the
// desktop app's save dialog).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ExportCurrencyTotal, ExportOutcome, ExportRequest } from '../../../shared/contract.ts';
import type { z } from 'zod';

/** What a report writer says it wrote: data rows, per-currency totals, the time zone used. */
export interface ReportWritten {
  rows: number;
  totals?: ExportCurrencyTotal[];
  timeZone?: string;
}

/** Writes the CSV for `request` to `out`, ends it, resolves with what it wrote. */
export type ReportWriter = (request: ExportRequest, out: Writable, signal?: AbortSignal) => Promise<ReportWritten>;

/** Streams a report to `target` via a temporary sibling file; returns what the writer wrote. */
export async function writeReportFile(write: ReportWriter, request: ExportRequest, target: string): Promise<ReportWritten> {
  const tmp = `${target}.${randomBytes(4).toString('hex')}.partial`;
  const out = createWriteStream(tmp, { flags: 'wx' });
  // A write error (disk full, folder gone) must end the export even if the writer is
  // waiting for 'drain', so the stream's failure races the export.
  const streamFailed = new Promise<never>((_resolve, reject) => out.once('error', reject));
  streamFailed.catch(() => undefined);
  try {
    const written = await Promise.race([write(request, out), streamFailed]);
    if (!out.writableEnded) out.end();
    await Promise.race([finished(out), streamFailed]);
    await rename(tmp, target);
    return written;
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Writes the report to `target` (writeReportFile); export.run's answer for a saved file. */
export async function saveReportFile(write: ReportWriter, request: ExportRequest, target: string): Promise<z.infer<typeof ExportOutcome>> {
  const written = await writeReportFile(write, request, target);
  return {
    savedTo: target,
    downloadUrl: null,
    rows: written.rows,
    cancelled: false,
    ...(written.timeZone === undefined ? {} : { timeZone: written.timeZone }),
    ...(written.totals === undefined ? {} : { totals: written.totals }),
  };
}
