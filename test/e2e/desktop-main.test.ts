// The built desktop app, all of it but the Electron executable: dist/electron/main.cjs and
// preload.cjs under plain Node with a stand-in `electron` module (test/electron-standin/), the
// real renderer bundle in real Chromium. Every contract method goes page -> preload bridge ->
// IPC handler -> core and back; app:// serves every built file with the CSP; navigation, new
// windows and permission requests are refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import { METHODS, contract, type Method } from '../../shared/contract.ts';
import { startSimulator } from '../../electron/core/simulator/index.ts';
import { CSP } from '../../electron/hosts/static-files.ts';
import { CHROMIUM, RENDERER_DIR, ROOT, onClose, tempDir, utcMidnightDaysAgo, waitFor } from './support/app.ts';
import { startDesktop, type Desktop } from './support/desktop.ts';

const HOUR = 3_600_000;
const NOW = Date.now();
let d: Desktop;
const saveDir = tempDir('cost-desk-saves-');
let saves = 0;

type Bridge = { costDesk: { invoke(m: string, i: unknown): Promise<unknown>; subscribe(l: (e: string, p: unknown) => void): () => void } };

describe('the desktop app under a stand-in Electron', { concurrency: false, skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  before(async () => {
    // The log file at info, as the app writes it by default (the test runner silences logs):
    // the import test reads which writer committed its pages.
    process.env.COST_DESK_LOG_LEVEL = 'info';
    d = await startDesktop({ dialog: { savePath: (o) => join(saveDir, `${++saves}-${(o.defaultPath ?? 'x.csv').split('/').pop()}`) } });
    await d.page.getByTestId('mode-badge').waitFor();
  });

  test('main.cjs opens one hardened window on app://cost-desk with only the bridge in the page', async () => {
    const { app, protocol, windows } = d.electron;
    assert.equal(app.sandboxEnabled, true, 'app.enableSandbox() before ready');
    assert.deepEqual(
      { ...protocol.privileged.get('app') },
      {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: false,
        bypassCSP: false,
        allowServiceWorkers: false,
        stream: false,
        codeCache: false,
      },
    );
    assert.equal(windows().length, 1);
    const wp = d.window.options.webPreferences!;
    assert.equal(wp.preload, join(ROOT, 'dist', 'electron', 'preload.cjs'), 'the preload beside main.cjs');
    assert.equal(d.window.preloadProblem, null);
    assert.equal(d.window.isVisible(), true, 'shown on ready-to-show');
    assert.equal(d.window.webContents.getURL(), 'app://cost-desk/');
    const probe = await d.page.evaluate(() => {
      const w = window as unknown as Record<string, unknown> & { costDesk?: Record<string, unknown> };
      return {
        keys: Object.keys(w.costDesk ?? {}).sort(),
        platform: w.costDesk?.platform,
        frozen: Object.isFrozen(w.costDesk),
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
      };
    });
    assert.deepEqual(probe, {
      keys: ['invoke', 'platform', 'subscribe'],
      platform: 'electron',
      frozen: true,
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
    });
    assert.equal(await d.page.getByTestId('mode-badge').getAttribute('data-mode'), 'unconfigured', 'the renderer booted over the bridge');
    assert.deepEqual(d.electron.pageProblems, []);
  });

  test('every contract method round-trips through the preload bridge and the IPC handler', { timeout: 120_000 }, async () => {
    const sim = await startSimulator({
      seed: 'desktop-standin',
      calls: 60,
      messages: 20,
      startMs: NOW - 6 * HOUR,
      spanMs: 4 * HOUR,
      recordDelayMs: { min: 0, max: 0 },
    });
    onClose(() => sim.close());
    const seen = new Set<string>();
    const replies: string[] = [];
    const invoke = async <M extends Method>(method: M, input: unknown): Promise<{ ok: boolean; value?: any; error?: { code: string } }> => {
      const r = await d.page.evaluate(([m, i]) => (window as unknown as Bridge).costDesk.invoke(m, i), [method, input] as const);
      contract[method].output.parse(r); // the reply is what the contract promises
      seen.add(method);
      replies.push(JSON.stringify(r));
      return r as { ok: boolean; value?: any; error?: { code: string } };
    };
    const ok = async <M extends Method>(method: M, input: unknown) => {
      const r = await invoke(method, input);
      assert.equal(r.ok, true, `${method}: ${JSON.stringify(r)}`);
      return r.value;
    };
    const range = { from: utcMidnightDaysAgo(2, NOW), to: utcMidnightDaysAgo(-1, NOW) };

    assert.equal((await ok('app.info', {})).host, 'electron');
    assert.equal((await ok('settings.get', {})).apiKeySet, false);
    assert.equal((await ok('settings.update', { apiBaseUrl: sim.baseUrl })).apiBaseUrl, sim.baseUrl);
    const keyed = await ok('settings.setApiKey', { apiKey: sim.apiKey });
    assert.equal(keyed.apiKeySet, true);
    assert.equal((await ok('app.info', {})).mode, 'live');
    assert.ok((await ok('sync.now', {})).events > 0, 'webhook events came from the simulator');
    const viaNet = d.electron.records.filter((r) => r.kind === 'net.fetch').map((r) => String(r.args));
    assert.ok(
      viaNet.some((u) => u.startsWith(`${sim.baseUrl}/webhook_deliveries`)),
      "Telnyx requests went through Electron's net.fetch",
    );
    await ok('sync.status', {});
    assert.deepEqual((await ok('import.problems', {})).rows, [], 'no unreadable rows from the simulator');
    assert.ok((await ok('doctor.run', {})).checks.length > 0, 'the doctor checked the simulated account');
    const month = new Date(NOW).toISOString().slice(0, 7);
    assert.equal((await ok('verify.month', { month })).month, month);
    const imp = await ok('import.start', { range, recordTypes: ['call-control', 'messaging'] });
    await ok('import.cancel', { importId: imp.importId });
    assert.ok((await ok('import.list', {})).imports.some((i: { importId: string }) => i.importId === imp.importId));
    assert.equal((await ok('import.wait', { importId: imp.importId })).importId, imp.importId);
    // Resumed and run to its end, its pages commit on the write worker main.cjs starts from
    // dist/electron/write-worker-main.cjs: the log file names the writer, never the fallback.
    const resumed = await ok('import.start', { range, recordTypes: ['call-control', 'messaging'] });
    const ended = await ok('import.wait', { importId: resumed.importId });
    assert.equal(ended.status, 'completed', JSON.stringify(ended));
    const logged = readFileSync(join(d.electron.app.getPath('logs'), 'main.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { importId?: number; writer?: string; msg: string });
    const writers = logged.filter((l) => l.importId === resumed.importId && l.writer).map((l) => l.writer);
    assert.ok(writers.length > 0 && writers.every((w) => w === 'write worker'), JSON.stringify(writers));
    assert.deepEqual(
      logged.filter((l) => /write worker cannot run|fetch worker cannot run/.test(l.msg)),
      [],
    );
    // Its pages were read on the fetch worker main.cjs starts from dist/electron/fetch-worker-main.cjs,
    // whose requests still go through Electron's net.fetch (relayed to the main thread).
    assert.ok(
      d.electron.records.some((r) => r.kind === 'net.fetch' && String(r.args).startsWith(`${sim.baseUrl}/detail_records`)),
      "the import's pages went through net.fetch",
    );
    const numbers = (await ok('numbers.list', {})).numbers as string[];
    assert.ok(numbers.length > 0);
    assert.ok((await ok('overview.summary', { range })).rows.length > 0);
    await ok('overview.daily', { range, number: numbers[0] });
    assert.ok((await ok('overview.groups', { range, by: 'kind' })).rows.length > 0);
    const calls = await ok('calls.list', { range, limit: 5 });
    assert.ok(calls.total > 0);
    const id = calls.rows[0].id as number;
    assert.equal((await ok('calls.get', { id })).call.id, id);
    assert.equal((await ok('calls.find', { ref: String(id) })).id, id);
    assert.ok((await ok('status.summary', {})).calls.length > 0);
    await ok('calls.refetch', { id });
    await ok('messages.list', { limit: 5 });
    const jobs = await ok('jobs.list', { limit: 5 });
    const retry = await invoke('jobs.retry', { id: jobs.rows[0]?.id ?? 999_999_999 });
    if (!jobs.rows[0]) assert.equal(retry.error?.code, 'not_found');
    await ok('jobs.processNow', {});
    // Statements, alerts and the user's data (issue 14).
    assert.equal((await ok('statements.get', { month })).month, month);
    const statement = await ok('statements.export', { month, format: 'xlsx' });
    assert.ok(existsSync(statement.file), 'the statement file was written');
    const rule = await ok('alerts.addRule', { kind: 'call_cost', currency: 'USD', threshold: '1000' });
    assert.equal((await ok('alerts.rules', {})).rules.length, 1);
    const firings = await ok('alerts.list', {});
    const acknowledged = await invoke('alerts.acknowledge', { id: firings.firings[0]?.id ?? 999_999 });
    if (!firings.firings[0]) assert.equal(acknowledged.error?.code, 'not_found');
    assert.equal((await ok('alerts.removeRule', { id: rule.id })).removed, rule.id);
    assert.equal(typeof (await ok('data.status', {})).dataDir, 'string');
    await ok('data.setBackupSettings', { autoDaily: false, keep: 3 });
    const backup = await ok('data.backup', {});
    assert.ok(existsSync(backup.file), 'the backup file exists');
    assert.equal((await ok('data.restore', { file: backup.file })).restoredFrom, backup.file);
    assert.equal((await ok('data.openFolder', {})).opened, true);
    assert.ok(
      d.electron.records.some((r) => r.kind === 'openPath' && r.args === d.dataDir),
      "the data folder opened through Electron's shell",
    );
    // Moved: the ledger is read from the new folder, and "Open data folder" opens that one.
    const movedTo = join(tempDir(), 'moved data');
    assert.equal((await ok('data.move', { to: movedTo })).to, movedTo);
    assert.equal((await ok('app.info', {})).ledgerFile, join(movedTo, 'ledger.db'));
    await ok('data.openFolder', {});
    assert.ok(
      d.electron.records.some((r) => r.kind === 'openPath' && r.args === movedTo),
      'the moved data folder opened',
    );
    const exported = await ok('export.run', { report: 'calls', range });
    assert.equal(exported.cancelled, false);
    const csv = readFileSync(exported.savedTo, 'utf8').trim().split('\n');
    // Header, one line per call, one Total line per currency the outcome lists, in the file the save dialog chose.
    assert.equal(csv.length, exported.rows + 1 + csv.filter((l) => l.startsWith('Total,')).length);
    // Each booked call counts in one currency (an open call, booked nothing yet, in none).
    assert.ok(exported.totals.reduce((n: number, t: { rows: number }) => n + t.rows, 0) <= exported.rows);
    assert.ok(csv.filter((l) => l.startsWith('Total,')).length >= exported.totals.length);
    assert.equal(typeof exported.timeZone, 'string');
    assert.equal((await ok('settings.clearApiKey', {})).apiKeySet, false);
    assert.equal((await ok('demo.start', {})).mode, 'demo');
    assert.notEqual((await ok('demo.stop', {})).mode, 'demo');
    // Bad input and unknown methods come back as errors, never throws.
    assert.equal((await invoke('calls.get', {})).error?.code, 'invalid_input');
    const unknown = (await d.page.evaluate(() => (window as unknown as Bridge).costDesk.invoke('nope', {}))) as { ok: boolean };
    assert.equal(unknown.ok, false);

    assert.deepEqual([...seen].sort(), [...METHODS].sort(), 'every method of the contract was called');
    assert.ok(!replies.some((r) => r.includes(sim.apiKey)), 'the API key never came back to the page');
  });

  test('core events reach the page through the bridge', async () => {
    await d.page.evaluate(() => {
      const w = window as unknown as Bridge & { seenEvents: string[] };
      w.seenEvents = [];
      w.costDesk.subscribe((name) => w.seenEvents.push(name));
    });
    await d.page.evaluate(() => (window as unknown as Bridge).costDesk.invoke('demo.start', {}));
    const names = await waitFor(
      () =>
        d.page.evaluate(() =>
          (window as unknown as { seenEvents: string[] }).seenEvents.length ? (window as unknown as { seenEvents: string[] }).seenEvents : null,
        ),
      'an event in the page',
    );
    assert.ok(
      names.every((n) => ['sync.status', 'import.progress', 'jobs.changed', 'ledger.changed'].includes(n)),
      names.join(),
    );
    await d.page.evaluate(() => (window as unknown as Bridge).costDesk.invoke('demo.stop', {}));
  });

  test('app:// serves every built file, byte for byte, with the CSP; nothing outside it', async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(relative(RENDERER_DIR, p).split('\\').join('/'));
      }
    };
    walk(RENDERER_DIR);
    assert.ok(files.includes('index.html') && files.some((f) => f.endsWith('.js')) && files.some((f) => f.endsWith('.css')));
    const served = await d.page.evaluate(async (paths) => {
      const out: Array<{ path: string; status: number; csp: string | null; type: string | null; sha: string }> = [];
      for (const path of paths) {
        const r = await fetch(`/${path}`);
        const digest = await crypto.subtle.digest('SHA-256', await r.arrayBuffer());
        out.push({
          path,
          status: r.status,
          csp: r.headers.get('content-security-policy'),
          type: r.headers.get('content-type'),
          sha: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''),
        });
      }
      return out;
    }, files);
    for (const s of served) {
      assert.equal(s.status, 200, s.path);
      assert.equal(s.csp, CSP, `${s.path} carries the CSP`);
      assert.equal(
        s.sha,
        createHash('sha256')
          .update(readFileSync(join(RENDERER_DIR, s.path)))
          .digest('hex'),
        `${s.path} byte for byte`,
      );
    }
    // "/%2e%2e/x" is "/x" once Chromium's URL parser is done with it: not found, never the project's file.
    const refused = await d.page.evaluate(async () =>
      Promise.all(['/%2e%2e/package.json', '/..%2fpackage.json', '/no-such-file.js'].map(async (p) => (await fetch(p)).status)),
    );
    assert.deepEqual(refused, [404, 403, 404]);
    // The CSP holds in the document itself: an injected inline script does not run.
    const inline = await d.page.evaluate(
      () =>
        new Promise<{ ran: boolean; violated: string }>((resolve) => {
          document.addEventListener(
            'securitypolicyviolation',
            (e) => resolve({ ran: (window as unknown as { inlineRan?: boolean }).inlineRan === true, violated: e.violatedDirective }),
            { once: true },
          );
          const s = document.createElement('script');
          s.textContent = 'window.inlineRan = true';
          document.body.append(s);
        }),
    );
    assert.deepEqual(inline, { ran: false, violated: 'script-src-elem' });
  });

  test('navigation away, new windows and permission requests are refused', async () => {
    const { session, records } = d.electron;
    await d.page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await waitFor(() => session.log.find((l) => l.url === 'https://example.com/' && l.outcome === 'navigation prevented'), 'the navigation to be refused');
    assert.equal(d.window.webContents.getURL(), 'app://cost-desk/');

    await d.page.evaluate(() => void window.open('https://example.com/popup', '_blank'));
    await d.page.evaluate(() => void window.open('https://telnyx.com/', '_blank'));
    await waitFor(() => records.filter((r) => r.kind === 'window-open').length === 2, 'both window.open calls to be decided');
    assert.deepEqual(
      records.filter((r) => r.kind === 'window-open').map((r) => (r.args as { decision: string }).decision),
      ['deny', 'deny'],
    );
    assert.equal(d.electron.windows().length, 1);
    assert.deepEqual(
      records.filter((r) => r.kind === 'openExternal').map((r) => r.args),
      ['https://telnyx.com/'],
      'only the allowlisted link went to the system browser',
    );
    assert.equal(d.window.webContents.windowOpenHandlerSets, 1, 'one window-open handler: a second would replace the guarded one');

    const states = await d.page.evaluate(() =>
      Promise.all(
        (['notifications', 'geolocation', 'camera', 'microphone', 'clipboard-read', 'midi'] as PermissionName[]).map((name) =>
          navigator.permissions.query({ name }).then((s) => `${name}:${s.state}`),
        ),
      ),
    );
    assert.deepEqual(states, ['notifications:denied', 'geolocation:denied', 'camera:denied', 'microphone:denied', 'clipboard-read:denied', 'midi:denied']);
    assert.equal(await d.page.evaluate(() => Notification.requestPermission()), 'denied');
  });
});

describe('desktop conventions under the stand-in', { concurrency: false, skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  test('the window opens before the keychain is touched (the static frame first)', () => {
    const kinds = d.electron.records.map((r) => r.kind);
    const win = kinds.indexOf('new BrowserWindow');
    const keychain = kinds.findIndex((k) => k.startsWith('safeStorage.'));
    assert.ok(win >= 0 && keychain > win, kinds.join());
  });

  test('an application menu with Edit and View zoom, Open Logs Folder, and DevTools only in development', () => {
    const menu = d.electron.menu.getApplicationMenu();
    assert.ok(menu);
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) assert.ok(menu.find(['Edit', role]), `Edit → ${role}`);
    for (const role of ['zoomIn', 'zoomOut', 'resetZoom']) assert.ok(menu.find(['View', role]), `View → ${role}`);
    assert.ok(menu.find(['View', 'toggleDevTools']), 'a development run (app.isPackaged false) keeps DevTools');
    assert.equal(d.window.options.webPreferences!.devTools, true);
    const opened = () => d.electron.records.filter((r) => r.kind === 'openPath').map((r) => r.args);
    const before = opened().length;
    menu.find(['help', 'Open Logs Folder'])!.click!(null, null, null);
    assert.deepEqual(opened().slice(before), [d.electron.app.getPath('logs')]);
    assert.ok(existsSync(join(d.electron.app.getPath('logs'), 'main.log')), 'the log file is under app.getPath("logs")');
  });

  test('right-click in the API key field offers cut, copy and paste', async () => {
    await d.page.getByTestId('nav-settings').click();
    const field = d.page.getByTestId('settings-api-key');
    await field.fill('KEY0123456789');
    await field.selectText();
    await field.click({ button: 'right' });
    const popup = await waitFor(() => d.electron.menu.popups.at(-1), 'a context menu');
    assert.deepEqual(
      popup.menu.items.filter((i) => i.role).map((i) => `${i.role}:${i.enabled}`),
      ['undo:true', 'redo:true', 'cut:true', 'copy:true', 'paste:true', 'selectAll:true'],
    );
    await field.fill('');
  });

  test('a failed load shows the error page with the way out; View → Reload brings the app back', async () => {
    d.window.webContents.emit('did-fail-load', { preventDefault() {} }, -2, 'ERR_FAILED', 'app://cost-desk/', true);
    await d.page.getByRole('heading', { name: 'The Cost Desk page could not be loaded' }).waitFor();
    const text = await d.page.locator('body').innerText();
    assert.match(text, /ERR_FAILED \(-2\) loading app:\/\/cost-desk\//);
    assert.match(text, /View → Reload/);
    assert.ok(text.includes(d.electron.app.getPath('logs')));
    // The preload runs on every page of the window, but the IPC gate refuses any page not on app://cost-desk.
    const refused = (await d.page.evaluate(() => (window as unknown as Bridge).costDesk.invoke('app.info', {}))) as { ok: boolean; error: { message: string } };
    assert.deepEqual([refused.ok, refused.error.message], [false, 'call refused: the calling page is not part of Cost Desk']);
    d.electron.menu.getApplicationMenu()!.find(['View', 'Reload'])!.click!(null, null, null);
    await d.page.getByTestId('mode-badge').waitFor();
    assert.equal(d.window.webContents.getURL(), 'app://cost-desk/');
  });

  test('closing the window quits the app, closes the core and remembers the window bounds', async () => {
    d.window.setBounds({ x: 50, y: 60, width: 1100, height: 750 });
    d.window.close();
    await waitFor(() => d.electron.app.ended, 'the app to quit');
    const state = JSON.parse(readFileSync(join(d.dataDir, 'window-state.json'), 'utf8'));
    assert.deepEqual(state, { bounds: { x: 50, y: 60, width: 1100, height: 750 }, maximized: false });
  });
});
