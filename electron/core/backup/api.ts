// The data.* contract methods on the runtime (Settings → Data, `cost-desk backup/restore`).
import { formatMoney } from '../../../shared/money.ts';
import type { LedgerContents } from '../../../shared/data.ts';
import type { CoreApi } from '../api/types.ts';
import type { CoreRuntime } from '../runtime/runtime.ts';
import { backupsDir } from './files.ts';
import { movedFrom } from '../data-folder/pointer.ts';
import type { LedgerSummary } from './snapshot.ts';
import { backupService, type BackupService } from './index.ts';

type DataMethods = Pick<CoreApi, 'data.status' | 'data.backup' | 'data.restore' | 'data.setBackupSettings' | 'data.openFolder'>;

export function contentsView(s: LedgerSummary): LedgerContents {
  const money = (rows: LedgerSummary['bookedCalls']) => rows.map((r) => ({ amount: formatMoney(r.nanos), currency: r.currency }));
  return { calls: s.calls, messages: s.messages, bookedCalls: money(s.bookedCalls), messagesCost: money(s.messagesCost), schemaVersion: s.schemaVersion };
}

export function dataMethods(rt: CoreRuntime, service: BackupService = backupService(rt)): DataMethods {
  const status = async () => ({
    dataDir: rt.o.dataDir,
    ledgerFile: rt.session().ledgerFile,
    backupsDir: backupsDir(rt.o.dataDir),
    backups: service.list(),
    settings: service.settings(),
    canOpenFolder: rt.o.host === 'electron',
    movedFrom: movedFrom(rt.o.homeDir ?? rt.o.dataDir, rt.o.dataDir),
  });
  return {
    'data.status': status,
    'data.backup': async ({ out }) => {
      const { summary, ...file } = await service.backupNow(out);
      return { ...file, contents: contentsView(summary) };
    },
    'data.restore': async ({ file }) => {
      const r = await service.restore(file);
      return { restoredFrom: r.restoredFrom, previousLedger: r.previousLedger, contents: contentsView(r.summary) };
    },
    'data.setBackupSettings': async (next) => {
      service.setSettings(next);
      return status();
    },
    // The desktop host replaces this with the OS file manager; others can only show the path.
    'data.openFolder': async () => ({ opened: false, path: rt.o.dataDir }),
  };
}
