// A report written to a file: under a temporary sibling name, renamed when complete, so a
// failure never leaves half a report under the name asked for (export.run with `out`, the
// desktop app's save dialog).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ExportRequest } from '../../../shared/contract.ts';

/** Writes the CSV for `request` to `out`, ends it, resolves with the number of data rows. */
export type ReportWriter = (request: ExportRequest, out: Writable, signal?: AbortSignal) => Promise<{ rows: number }>;

/** Streams a report to `target` via a temporary sibling file; returns the row count. */
export async function writeReportFile(write: ReportWriter, request: ExportRequest, target: string): Promise<number> {
  const tmp = `${target}.${randomBytes(4).toString('hex')}.partial`;
  const out = createWriteStream(tmp, { flags: 'wx' });
  // A write error (disk full, folder gone) must end the export even if the writer is
  // waiting for 'drain', so the stream's failure races the export.
  const streamFailed = new Promise<never>((_resolve, reject) => out.once('error', reject));
  streamFailed.catch(() => undefined);
  try {
    const { rows } = await Promise.race([write(request, out), streamFailed]);
    if (!out.writableEnded) out.end();
    await Promise.race([finished(out), streamFailed]);
    await rename(tmp, target);
    return rows;
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}
