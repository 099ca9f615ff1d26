// Settings → Data → Move the data folder in Chromium: a folder that is not empty is refused
// with the reason and the old folder stays in use; a new folder gets the checked copy, the
// app uses it at once (the same calls, now read from the new file), and the old copy is named
// until the user removes it. Counts from the ledger files themselves; screenshots; axe.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { haveChromium, importRange, lastDayAccount, startLiveApp, tempDir, waitFor } from './support/app.ts';
import { describeFindings, go, openApp, shotsAndAxeBothSchemes, type AxeFinding } from './support/browser.ts';
import { readLedger } from './support/truth.ts';

const NOW = Date.now();
const ACCOUNT = lastDayAccount('e2e-data-move', 150, 60, NOW);

function counts(file: string) {
  const db = readLedger(file);
  const n = (sql: string) => String(db.prepare(sql).safeIntegers(true).pluck().get());
  const c = {
    calls: n('SELECT COUNT(*) FROM calls'),
    messages: n('SELECT COUNT(*) FROM messages'),
    exact: n('SELECT COALESCE(SUM(exact_nanos), 0) FROM calls'),
  };
  db.close();
  return c;
}

test('Settings → Data: move the data folder; a folder that is not empty is refused', { timeout: 90_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const { app } = await startLiveApp(ACCOUNT);
  await importRange(app, { from: ACCOUNT.startMs, to: ACCOUNT.startMs + ACCOUNT.spanMs });
  await app.call('data.backup', {});
  const oldLedger = (await app.call('app.info', {})).ledgerFile;
  const before = counts(oldLedger);

  const { page, problems } = await openApp(app.host);
  await go(page, 'settings');
  const section = page.getByTestId('settings-data-section');
  await section.getByTestId('settings-data-dir').waitFor();
  assert.equal(await section.getByTestId('settings-data-dir').textContent(), app.dataDir);

  // Not empty: refused, the reason shown, nothing moved.
  const busy = join(tempDir(), 'busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'mine.txt'), 'keep me');
  await section.getByTestId('data-move-to').fill(busy);
  await section.getByTestId('data-move-submit').click();
  await section.getByTestId('data-error').waitFor();
  assert.match(
    (await section.getByTestId('data-error').textContent()) ?? '',
    /The data folder was not moved \(the new folder\): .*busy is not empty\. Cost Desk still uses .*; nothing there was changed\./,
  );
  assert.deepEqual(readdirSync(busy), ['mine.txt']);
  assert.equal((await app.call('data.status', {})).dataDir, app.dataDir);

  // A new folder: copied, checked, used.
  const target = join(tempDir(), 'Cost Desk data');
  await section.getByTestId('data-move-to').fill(target);
  await section.getByTestId('data-move-submit').click();
  const status = section.getByTestId('data-status');
  await waitFor(async () => (await status.textContent())?.startsWith('Moved the data to'), 'the move');
  assert.equal(
    await status.textContent(),
    `Moved the data to ${target} (${Number(before.calls).toLocaleString('en-US')} calls, ${Number(before.messages).toLocaleString('en-US')} messages, 1 backups, checked). The old copy is kept in ${app.dataDir}: remove it when you no longer need it.`,
  );
  await waitFor(async () => (await section.getByTestId('settings-data-dir').textContent()) === target, 'the new folder shown');
  assert.match(
    (await section.getByTestId('data-moved-from').textContent()) ?? '',
    new RegExp(`^${app.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(no longer used`),
  );
  const info = await app.call('app.info', {});
  assert.equal(info.ledgerFile, join(target, 'ledger.db'));
  assert.deepEqual(counts(info.ledgerFile), before);
  assert.deepEqual(counts(oldLedger), before, 'the old copy as it was');
  assert.ok(existsSync(join(target, 'backups')) && readdirSync(join(target, 'backups')).some((f) => f.endsWith('.db')));

  // The app reads the new file: the Calls screen counts the same calls.
  await go(page, 'calls');
  await waitFor(
    async () => ((await page.getByTestId('screen-calls').textContent()) ?? '').includes(`${Number(before.calls).toLocaleString('en-US')} calls`),
    'the calls of the moved ledger',
  );

  await go(page, 'settings');
  await section.getByTestId('data-moved-from').waitFor();
  await section.getByTestId('data-move-to').scrollIntoViewIfNeeded();
  const findings: AxeFinding[] = [];
  await shotsAndAxeBothSchemes(t, page, 'settings-data-moved', findings);
  assert.equal(findings.length, 0, `serious or critical axe violations:\n${describeFindings(findings)}`);
  assert.deepEqual(problems, []);
});
