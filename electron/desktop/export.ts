// export.run in the desktop app: ask where to save (the OS save dialog), then stream the
// CSV there. The file is written under a temporary name and renamed when complete, so a
// failure never leaves a half report under the name the user chose.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { BrowserWindow, Dialog } from 'electron';
import type { ExportRequest, Output } from '../../shared/contract.ts';
import { reportFileName, type ExportReportFn, type ExportWritten } from '../hosts/host-core.ts';

export function createElectronExport(options: {
  dialog: Pick<Dialog, 'showSaveDialog'>;
  getWindow: () => BrowserWindow | null;
  exportReport: ExportReportFn;
  /** Where the save dialog starts (the user's Downloads folder). */
  defaultDir: string;
}): (request: ExportRequest) => Promise<Output<'export.run'>> {
  return async (request) => {
    const win = options.getWindow();
    const dialogOptions = {
      title: 'Export CSV',
      defaultPath: join(options.defaultDir, reportFileName(request)),
      filters: [{ name: 'CSV', extensions: ['csv'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
    };
    const choice = win && !win.isDestroyed() ? await options.dialog.showSaveDialog(win, dialogOptions) : await options.dialog.showSaveDialog(dialogOptions);
    if (choice.canceled || !choice.filePath) {
      return { savedTo: null, downloadUrl: null, rows: null, cancelled: true };
    }
    const target = choice.filePath;
    const written = await writeReportFile(options.exportReport, request, target);
    return {
      savedTo: target,
      downloadUrl: null,
      rows: written.rows,
      cancelled: false,
      ...(written.timeZone === undefined ? {} : { timeZone: written.timeZone }),
      ...(written.totals === undefined ? {} : { totals: written.totals }),
    };
  };
}

/** Streams a report to `target` via a temporary sibling file; returns what the writer says it wrote. */
export async function writeReportFile(exportReport: ExportReportFn, request: ExportRequest, target: string): Promise<ExportWritten> {
  const tmp = `${target}.${randomBytes(4).toString('hex')}.partial`;
  const out = createWriteStream(tmp, { flags: 'wx' });
  // A write error (disk full, folder gone) must end the export even if the writer is
  // waiting for 'drain', so the stream's failure races the export.
  const streamFailed = new Promise<never>((_resolve, reject) => out.once('error', reject));
  streamFailed.catch(() => undefined);
  try {
    const written = await Promise.race([exportReport(request, out), streamFailed]);
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
