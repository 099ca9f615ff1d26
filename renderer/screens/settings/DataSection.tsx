// Settings → Data: where the data lives, back up now, restore a backup (asked once more,
// since it replaces the ledger; the core keeps the previous one), and the daily automatic
// backup. The browser host cannot open a folder, so it shows the path to open by hand.
import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/contract.ts';
import type { BackupFile } from '../../../shared/data.ts';
import { useApi, useAppState } from '../../app/context.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { right, unseen, TableHead } from '../../components/TableHead.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { dateTimeText, intText } from '../../lib/format.ts';
import { submitWith } from '../../lib/submit.ts';

function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function DataSection() {
  const api = useApi();
  const { reloadInfo, reloadSync } = useAppState();
  const status = useQuery('data.status', {});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [otherFile, setOtherFile] = useState('');
  const [moveTo, setMoveTo] = useState('');
  const [auto, setAuto] = useState<{ autoDaily: boolean; keep: string } | null>(null);
  const data = status.data;

  useEffect(() => {
    if (data) setAuto({ autoDaily: data.settings.autoDaily, keep: String(data.settings.keep) });
  }, [data]);

  const run = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await work());
    } finally {
      setBusy(false);
    }
  };

  const backupNow = () =>
    run(async () => {
      const res = await api.call('data.backup', {});
      if (!res.ok) return (setError(res.error), null);
      await status.reload();
      return `Backup saved: ${res.value.name} (${intText(res.value.contents.calls)} calls, ${intText(res.value.contents.messages)} messages).`;
    });

  const restore = (file: string) =>
    run(async () => {
      setConfirming(null);
      const res = await api.call('data.restore', { file });
      if (!res.ok) return (setError(res.error), null);
      await Promise.all([status.reload(), reloadInfo(), reloadSync()]);
      const kept = res.value.previousLedger ? ` The previous ledger is kept at ${res.value.previousLedger}.` : '';
      return `Restored ${intText(res.value.contents.calls)} calls and ${intText(res.value.contents.messages)} messages from ${file}.${kept}`;
    });

  const move = () =>
    run(async () => {
      const res = await api.call('data.move', { to: moveTo.trim() });
      if (!res.ok) return (setError(res.error), null);
      setMoveTo('');
      await Promise.all([status.reload(), reloadInfo(), reloadSync()]);
      const ledger = res.value.ledgers.find((l) => l.file.endsWith('/ledger.db') || l.file.endsWith('\\ledger.db')) ?? res.value.ledgers[0];
      const held = ledger
        ? ` (${intText(ledger.contents.calls)} calls, ${intText(ledger.contents.messages)} messages, ${intText(res.value.backups)} backups, checked)`
        : '';
      return `Moved the data to ${res.value.to}${held}. The old copy is kept in ${res.value.from}: remove it when you no longer need it.`;
    });

  const openFolder = () =>
    run(async () => {
      const res = await api.call('data.openFolder', {});
      if (!res.ok) return (setError(res.error), null);
      return res.value.opened ? null : `Open ${res.value.path} in your file manager.`;
    });

  const saveAuto = () =>
    run(async () => {
      if (!auto) return null;
      const keep = auto.keep.trim() === '' ? NaN : Number(auto.keep);
      const res = await api.call('data.setBackupSettings', { autoDaily: auto.autoDaily, keep });
      if (!res.ok) return (setError(res.error), null);
      await status.reload();
      return 'Backup settings saved.';
    });

  return (
    <section className="card" aria-labelledby="set-data-title" data-testid="settings-data-section">
      <h2 id="set-data-title">Data</h2>
      {status.error && <ErrorNotice error={status.error} testId="data-load-error" />}
      {data && (
        <dl className="kv">
          <dt>Folder</dt>
          <dd className="mono break" data-testid="settings-data-dir">
            {data.dataDir}
          </dd>
          <dt>Ledger file</dt>
          <dd className="mono break">{data.ledgerFile}</dd>
          <dt>Backups</dt>
          <dd className="mono break" data-testid="data-backups-dir">
            {data.backupsDir}
          </dd>
          {data.movedFrom && (
            <>
              <dt>Old copy</dt>
              <dd className="mono break" data-testid="data-moved-from">
                {data.movedFrom} (no longer used: remove it when you no longer need it)
              </dd>
            </>
          )}
        </dl>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={() => void backupNow()} disabled={busy || !data} data-testid="data-backup-now">
          Back up now
        </button>
        {data?.canOpenFolder && (
          <button type="button" className="btn" onClick={() => void openFolder()} disabled={busy} data-testid="data-open-folder">
            Open data folder
          </button>
        )}
        <span role="status" aria-live="polite" data-testid="data-status">
          {busy ? 'Working…' : done}
        </span>
      </div>
      {error && <ErrorNotice error={error} testId="data-error" />}

      {data && <BackupList backups={data.backups} busy={busy} confirming={confirming} onAsk={setConfirming} onRestore={(f) => void restore(f)} />}

      <form className="toolbar" onSubmit={submitWith(() => otherFile.trim() && setConfirming(otherFile.trim()))}>
        <div className="field field-wide">
          <label htmlFor="data-restore-file">Restore from another backup file (full path)</label>
          <input id="data-restore-file" className="mono" value={otherFile} onChange={(e) => setOtherFile(e.target.value)} data-testid="data-restore-file" />
        </div>
        <button type="submit" className="btn" disabled={busy || otherFile.trim() === ''} data-testid="data-restore-file-submit">
          Restore…
        </button>
      </form>
      {confirming && !data?.backups.some((b) => b.file === confirming) && (
        <ConfirmRestore file={confirming} onYes={() => void restore(confirming)} onNo={() => setConfirming(null)} />
      )}

      <form className="toolbar" aria-label="Move the data folder" onSubmit={submitWith(() => moveTo.trim() && move())}>
        <div className="field field-wide">
          <label htmlFor="data-move-to">Move the data folder to (full path of a new or empty folder)</label>
          <input id="data-move-to" className="mono" value={moveTo} onChange={(e) => setMoveTo(e.target.value)} data-testid="data-move-to" />
        </div>
        <button type="submit" className="btn" disabled={busy || moveTo.trim() === ''} data-testid="data-move-submit">
          Move
        </button>
      </form>

      {auto && <h3 id="data-auto-title">Automatic backups</h3>}
      {auto && (
        <form className="toolbar" aria-labelledby="data-auto-title" onSubmit={submitWith(saveAuto)}>
          <label className="check">
            <input type="checkbox" checked={auto.autoDaily} onChange={(e) => setAuto({ ...auto, autoDaily: e.target.checked })} data-testid="data-auto-daily" />
            Back up once a day while Cost Desk runs
          </label>
          <div className="field">
            <label htmlFor="data-auto-keep">Daily backups to keep</label>
            <input
              id="data-auto-keep"
              inputMode="numeric"
              value={auto.keep}
              onChange={(e) => setAuto({ ...auto, keep: e.target.value })}
              data-testid="data-auto-keep"
            />
          </div>
          <button type="submit" className="btn" disabled={busy} data-testid="data-auto-save">
            Save
          </button>
        </form>
      )}
    </section>
  );
}

function ConfirmRestore({ file, onYes, onNo }: { file: string; onYes(): void; onNo(): void }) {
  return (
    <div className="notice notice-warn" role="alertdialog" aria-labelledby="data-confirm-text" data-testid="data-restore-confirm">
      <p id="data-confirm-text">
        Replace the ledger with <span className="mono break">{file}</span>? It is checked first; the current ledger is kept beside it.
      </p>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onYes} data-testid="data-restore-yes">
          Restore this backup
        </button>
        <button type="button" className="btn" onClick={onNo}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function BackupList(p: { backups: BackupFile[]; busy: boolean; confirming: string | null; onAsk(file: string | null): void; onRestore(file: string): void }) {
  if (p.backups.length === 0)
    return (
      <p className="muted" data-testid="data-no-backups">
        No backups yet.
      </p>
    );
  return (
    <>
      <table className="data-table compact" data-testid="data-backups">
        <caption className="sr-only">Backups of this ledger, newest first</caption>
        <TableHead columns={['Taken', 'File', 'Kind', right('Size'), unseen('Actions')]} />
        <tbody>
          {p.backups.map((b) => (
            <tr key={b.file} data-testid="data-backup-row">
              <td>{dateTimeText(b.at)}</td>
              <td className="mono">{b.name}</td>
              <td>{b.auto ? 'Automatic' : 'By hand'}</td>
              <td className="align-right">{sizeText(b.bytes)}</td>
              <td>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => p.onAsk(b.file)}
                  disabled={p.busy}
                  aria-label={`Restore ${b.name}`}
                  data-testid="data-restore"
                >
                  Restore…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.confirming && p.backups.some((b) => b.file === p.confirming) && (
        <ConfirmRestore file={p.confirming} onYes={() => p.onRestore(p.confirming!)} onNo={() => p.onAsk(null)} />
      )}
    </>
  );
}
