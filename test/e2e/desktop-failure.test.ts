// The desktop app when its ledger cannot be opened (a file that is not SQLite): the window has
// already painted its frame, then shows the error page — what happened, what to do, where the
// logs are — instead of a blank window or a silent exit. Same stand-in as desktop-main.test.ts
// (one main.cjs per process, so this scenario has its own file).
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHROMIUM } from './support/app.ts';
import { startDesktop } from './support/desktop.ts';

test(
  'a ledger that cannot be opened shows the error page in the window',
  { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`, timeout: 60_000 },
  async () => {
    const d = await startDesktop({ prepare: (dir) => writeFileSync(join(dir, 'ledger.db'), 'this is not a SQLite database, it is a text file '.repeat(200)) });
    await d.page.getByRole('heading', { name: 'Telnyx Cost Desk could not start' }).waitFor();
    const text = await d.page.locator('body').innerText();
    assert.match(text, /What happened: .*not a database/i);
    assert.match(text, /Quit \(File → Quit\) and start the app again/);
    assert.ok(text.includes(d.electron.app.getPath('logs')));
    assert.equal(d.window.isVisible(), true);
    assert.equal(d.electron.app.ended, null, 'the app stays open on the error page (the way out is the menu)');
    assert.ok(d.electron.records.findIndex((r) => r.kind === 'new BrowserWindow') >= 0);
  },
);
