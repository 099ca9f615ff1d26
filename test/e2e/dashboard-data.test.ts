// The renderer's data layer (issue 13, point 11): TanStack Query with a key per contract
// method and input, invalidated by what the core says it wrote (shared/access.ts). Counted
// here by the contract calls the page makes over the browser host's HTTP API: one refetch
// refreshes the table once (not by the panel, its onChanged and the ledger.changed event
// each), a write from elsewhere refreshes exactly what reads its topics, and a write of
// topics nothing on screen reads asks nothing again.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright';
import { haveChromium, waitFor } from './support/app.ts';
import { axeScan, describeFindings, go, screenshot } from './support/browser.ts';
import { sharedDashboard } from './support/dashboard.ts';

const d = sharedDashboard('e2e-dashboard-data');

/** Every contract call the page makes from now on, by method. */
function countCalls(page: Page): { calls: string[]; count(m: string): number; stop(): void } {
  const calls: string[] = [];
  const on = (r: { url(): string }) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/call/')) calls.push(decodeURIComponent(path.slice('/api/call/'.length)));
  };
  page.on('request', on);
  return { calls, count: (m) => calls.filter((c) => c === m).length, stop: () => page.off('request', on) };
}

/** Waits until the page has made no contract call for `quietMs` (its refreshes are over). */
async function settled(page: Page, calls: string[], quietMs = 2500): Promise<void> {
  let seen = -1;
  let since = Date.now();
  await waitFor(
    async () => {
      const inFlight = await page.evaluate(() => (document.querySelector('[role="status"]')?.textContent ?? '').includes('Updating'));
      if (calls.length !== seen || inFlight) {
        seen = calls.length;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    'the page to stop asking',
    30_000,
    100,
  );
}

describe('data layer: one refresh per change', { concurrency: false }, () => {
  after(() => d.ui?.context.close());

  const openPendingCall = async (): Promise<{ id: number; leg: string }> => {
    const db = await d.ledger();
    const row = db
      .prepare(`SELECT id, call_leg_id FROM calls WHERE cost_source = 'estimate' AND call_leg_id IS NOT NULL AND ended_at IS NOT NULL ORDER BY id LIMIT 1`)
      .get() as { id: bigint | number; call_leg_id: string } | undefined;
    db.close();
    assert.ok(row, 'a call still at its estimate');
    const id = Number(row.id);
    await go(d.page, 'calls');
    await d.page.getByTestId('calls-search').fill(row.call_leg_id);
    await d.page.getByTestId('calls-search').press('Enter');
    await waitFor(async () => (await d.page.getByTestId('calls-total').textContent()) === '1 call', `call ${id} found`);
    await d.page.getByTestId(`call-row-${id}`).click();
    await d.page.getByTestId('call-detail-badge').waitFor();
    return { id, leg: row.call_leg_id };
  };

  test('Refetch cost: the table, the panel and the status line are each asked once', { timeout: 90_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const { id } = await openPendingCall();
    await settled(d.page, []);
    const seen = countCalls(d.page);
    await d.page.getByTestId('refetch-cost').click();
    const outcome = d.page.getByTestId('refetch-outcome');
    await waitFor(async () => (await outcome.getAttribute('data-kind')) !== '', 'the refetch outcome');
    await settled(d.page, seen.calls);
    seen.stop();
    assert.equal(seen.count('calls.refetch'), 1, seen.calls.join(', '));
    assert.equal(seen.count('calls.list'), 1, `the table once (calls: ${seen.calls.join(', ')})`);
    assert.equal(seen.count('calls.get'), 1, `the panel once (calls: ${seen.calls.join(', ')})`);
    assert.ok(seen.count('sync.status') <= 1, `the status line at most once (calls: ${seen.calls.join(', ')})`);
    // The one refresh of each shows the refetched cost: table and panel agree.
    const badge = d.page.getByTestId(`call-row-${id}`).locator('.badge');
    const panelBadge = d.page.getByTestId('call-detail-badge');
    assert.equal(await panelBadge.getAttribute('data-badge'), await badge.getAttribute('data-badge'), 'table and panel agree');
    await screenshot(d.page, 'e2e-data-layer-refetch');
    const r = await axeScan(d.page, 'data-layer-refetch');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
  });

  test('a write made elsewhere refreshes what reads its topics, once; other topics ask nothing', { timeout: 90_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const { id } = await openPendingCall();
    await settled(d.page, []);
    // Backup settings only (shared/access.ts: data.setBackupSettings writes 'backups'): nothing
    // on the Calls screen reads them, so the page asks nothing. (settings.update is declared to
    // write everything: a new API host drops the key and with it the mode.)
    const settings = countCalls(d.page);
    await d.app.call('data.setBackupSettings', { autoDaily: true, keep: 7 });
    await settled(d.page, settings.calls);
    settings.stop();
    assert.deepEqual(settings.calls, [], 'a write to a topic the screen does not read asks nothing');
    // An alert rule writes 'alerts': only the nav's alert badge reads it, and asks once.
    const rules = countCalls(d.page);
    await d.app.call('alerts.addRule', { kind: 'call_cost', currency: 'USD', threshold: '1000' });
    await waitFor(() => rules.count('alerts.list') >= 1, 'the badge refreshed');
    await settled(d.page, rules.calls);
    rules.stop();
    assert.deepEqual(rules.calls, ['alerts.list'], 'the badge, once');
    // Another window refetches the open call: the page's table and panel follow, once each.
    const other = countCalls(d.page);
    await d.app.call('calls.refetch', { id });
    await waitFor(() => other.count('calls.list') >= 1, 'the table refreshed');
    await settled(d.page, other.calls);
    other.stop();
    assert.equal(other.count('calls.list'), 1, other.calls.join(', '));
    assert.equal(other.count('calls.get'), 1, other.calls.join(', '));
    assert.equal(other.count('settings.get'), 0, 'Settings is not open and its answer not re-read');
  });

  test('a screen seen before shows its cached answer at once and asks again only if it went stale', { timeout: 60_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await go(d.page, 'overview');
    await d.page.getByTestId('summary-row').first().waitFor();
    await settled(d.page, []);
    const seen = countCalls(d.page);
    await go(d.page, 'jobs');
    await go(d.page, 'overview');
    await d.page.getByTestId('summary-row').first().waitFor();
    await settled(d.page, seen.calls);
    seen.stop();
    assert.equal(seen.count('overview.summary'), 0, `nothing written since: ${seen.calls.join(', ')}`);
    assert.equal(seen.count('numbers.list'), 0, seen.calls.join(', '));
  });
});
