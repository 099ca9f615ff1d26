// export.run in the desktop app: ask where to save (the OS save dialog), then stream the
// CSV there. The file is written under a temporary name and renamed when complete, so a
// failure never leaves a half report under the name the user chose.
import { join } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { ExportRequest, Output } from '../../shared/contract.ts';
import { reportFileName, type ExportReportFn } from '../hosts/host-core.ts';
import { saveReportFile } from '../core/reports/file.ts';

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
    return saveReportFile(options.exportReport, request, choice.filePath);
  };
}
