// Settings → Data in Chromium: back up now, the list of backups, restore one (asked once
// more, then the ledger is the backup's again), a file that is not a backup refused with
// nothing changed; screenshots and an axe scan, light and dark.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haveChromium, importRange, lastDayAccount, startLiveApp, waitFor } from './support/app.ts';
import { describeFindings, go, openApp, shotsAndAxeBothSchemes, type AxeFinding } from './support/browser.ts';
import { readLedger } from './support/truth.ts';

const NOW = Date.now();
const ACCOUNT = lastDayAccount('e2e-data', 200, 80, NOW);

/** Calls and messages in the ledger file, read on a connection of its own (closed at once). */
function fileCounts(file: string) {
  const db = readLedger(file);
  const n = (sql: string) => Number(db.prepare(sql).pluck().get());
  const counts = { calls: n('SELECT COUNT(*) FROM calls'), messages: n('SELECT COUNT(*) FROM messages') };
  db.close();
  return counts;
}

test('Settings → Data: back up now, restore a backup, refuse a file that is not one', { timeout: 90_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const { app } = await startLiveApp(ACCOUNT);
  const half = ACCOUNT.startMs + ACCOUNT.spanMs / 2;
  await importRange(app, { from: ACCOUNT.startMs, to: half });
  const { ledgerFile } = await app.call('app.info', {});
  const atBackup = fileCounts(ledgerFile);
  assert.ok(atBackup.calls > 0);

  const { page, problems } = await openApp(app.host);
  await go(page, 'settings');
  const section = page.getByTestId('settings-data-section');
  await section.getByTestId('data-no-backups').waitFor();
  await section.getByTestId('data-backup-now').click();
  const status = section.getByTestId('data-status');
  await waitFor(async () => (await status.textContent())?.startsWith('Backup saved'), 'the backup');
  assert.match(
    (await status.textContent()) ?? '',
    new RegExp(
      `^Backup saved: ledger-\\d{8}-\\d{6}\\.db \\(${atBackup.calls.toLocaleString('en-US')} calls, ${atBackup.messages.toLocaleString('en-US')} messages\\)\\.$`,
    ),
  );
  const rows = section.getByTestId('data-backup-row');
  assert.equal(await rows.count(), 1);
  assert.match((await rows.first().textContent()) ?? '', /By hand/);
  const findings: AxeFinding[] = [];
  await shotsAndAxeBothSchemes(t, page, 'settings-data-backup', findings);

  // More data lands after the backup.
  await importRange(app, { from: half, to: ACCOUNT.startMs + ACCOUNT.spanMs });
  const later = fileCounts(ledgerFile);
  assert.ok(later.calls > atBackup.calls, `${later.calls} > ${atBackup.calls}`);

  // A file that is not a backup: refused, nothing changed.
  await section.getByTestId('data-restore-file').fill(`${app.dataDir}/app-state.json`);
  await section.getByTestId('data-restore-file-submit').click();
  await section.getByTestId('data-restore-confirm').getByTestId('data-restore-yes').click();
  await section.getByTestId('data-error').waitFor();
  assert.match((await section.getByTestId('data-error').textContent()) ?? '', /app-state\.json cannot be restored: .*Nothing was changed\./);
  assert.deepEqual(fileCounts(ledgerFile), later);

  // Restore the backup: asked once more, then the ledger is the backup's moment again.
  await rows.first().getByTestId('data-restore').click();
  await section.getByTestId('data-restore-confirm').waitFor();
  await shotsAndAxeBothSchemes(t, page, 'settings-data-restore-confirm', findings);
  await section.getByTestId('data-restore-yes').click();
  await waitFor(async () => (await status.textContent())?.startsWith('Restored'), 'the restore');
  assert.match(
    (await status.textContent()) ?? '',
    new RegExp(
      `^Restored ${atBackup.calls.toLocaleString('en-US')} calls and ${atBackup.messages.toLocaleString('en-US')} messages from .*\\. The previous ledger is kept at .*ledger\\.before-restore-\\d{8}-\\d{6}\\.db\\.$`,
    ),
  );
  assert.deepEqual(fileCounts(ledgerFile), atBackup);
  await shotsAndAxeBothSchemes(t, page, 'settings-data-restored', findings);

  // The other screens show the restored ledger.
  await go(page, 'calls');
  await waitFor(
    async () => (await page.getByTestId('calls-total').textContent())?.includes(atBackup.calls.toLocaleString('en-US')),
    'the calls total after the restore',
  );

  assert.equal(findings.length, 0, `serious or critical axe violations:\n${describeFindings(findings)}`);
  assert.deepEqual(problems, []);
});
