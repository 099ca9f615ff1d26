// Panels (issue 13, point 7): a call in people's words with local times and UTC on hover, no
// doubled labels, history oldest first, billed the same in table and panel; a message panel
// and the Messages cost-status filter. Expected values from the ledger's rows.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { haveChromium, waitFor } from './support/app.ts';
import { go, screenshot } from './support/browser.ts';
import { sharedDashboard } from './support/dashboard.ts';
import { exactAmount, shownAmount } from './support/truth.ts';

const d = sharedDashboard('e2e-dashboard-panels');

describe('call and message panels', { concurrency: false }, () => {
  test("panels: a call in people's words, no doubled labels, history in time order, billed agrees", { timeout: 40_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await d.ledger();
    // A call that was estimated at its hangup and then priced by the import: two history entries.
    const priced = db
      .prepare(
        `SELECT c.id, c.call_leg_id, c.direction, c.our_number, c.other_number, c.started_at, c.billed_sec, c.call_sec
         FROM calls c WHERE c.cost_source = 'detail_record' AND c.billed_sec > 0 AND c.call_leg_id IS NOT NULL
           AND (SELECT COUNT(*) FROM cost_history h WHERE h.call_id = c.id) >= 2 ORDER BY c.id LIMIT 1`,
      )
      .get() as Record<string, bigint | string | null>;
    // A call with no billed time from Telnyx yet (still at its estimate) that lasted a while.
    const unbilled = db
      .prepare(`SELECT id, call_leg_id, call_sec FROM calls WHERE billed_sec IS NULL AND call_sec > 60 AND call_leg_id IS NOT NULL ORDER BY id LIMIT 1`)
      .get() as Record<string, bigint | string | null>;
    assert.ok(priced && unbilled, 'a priced call and an unbilled one');

    const openCall = async (leg: string, id: number) => {
      await go(d.page, 'calls');
      await d.page.getByTestId('calls-search').fill(leg);
      await d.page.getByTestId('calls-search').press('Enter');
      await waitFor(async () => (await d.page.getByTestId('calls-total').textContent()) === '1 call', `call ${id} found`);
      await d.page.getByTestId(`call-row-${id}`).click();
      await d.page.getByTestId('call-detail-badge').waitFor();
    };

    const id = Number(priced.id);
    await openCall(String(priced.call_leg_id), id);
    const title = await d.page.getByTestId('call-detail-title').textContent();
    assert.equal(title, priced.direction === 'inbound' ? `Inbound call from ${priced.other_number}` : `Outbound call to ${priced.other_number}`);
    const subtitle = d.page.getByTestId('call-detail-subtitle');
    assert.ok((await subtitle.textContent())?.includes(String(priced.our_number)));
    const started = new Date(Number(priced.started_at)).toISOString();
    assert.equal(await subtitle.locator('time').getAttribute('datetime'), started);
    assert.equal(await subtitle.locator('time').getAttribute('title'), `${started.slice(0, 10)} ${started.slice(11, 19)} UTC`, 'UTC on hover');

    const panelText = (await d.page.getByTestId('call-detail').textContent()) ?? '';
    assert.doesNotMatch(panelText, /\(\d+ s\)/, 'no "31s (31 s)"');
    assert.doesNotMatch(panelText, /estimate \(estimated\)|\(estimated\)|\(exact\)/i, 'no "estimate (estimated)"');
    const estimateLine = (await d.page.getByTestId('call-detail-estimate').textContent()) ?? '';
    assert.ok((estimateLine.match(/\/min/g) ?? []).length <= 1, `one rate in "${estimateLine}"`);

    // History oldest first, every entry of the ledger.
    const ats = await d.page.locator('[data-testid="call-detail-history"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-at'))));
    const want = (db.prepare('SELECT at FROM cost_history WHERE call_id = ? ORDER BY at, id').pluck().all(id) as bigint[]).map(Number);
    assert.deepEqual(ats, want);
    assert.ok(ats.length >= 2);

    // Billed: the same words in the table and the panel, with and without Telnyx's billed time.
    const billedIn = async (rowId: number) => ({
      table: await d.page.getByTestId(`call-row-${rowId}`).locator('[data-col="billed"]').textContent(),
      panel: await d.page.getByTestId('call-detail-billed').textContent(),
    });
    const a = await billedIn(id);
    assert.equal(a.panel, a.table);
    assert.notEqual(a.panel, '—');
    await d.page.getByTestId('call-detail-close').click();
    await openCall(String(unbilled.call_leg_id), Number(unbilled.id));
    const b = await billedIn(Number(unbilled.id));
    assert.deepEqual(b, { table: '—', panel: '—' }, 'not billed yet: a dash in both');
    assert.match((await d.page.getByTestId('call-detail-billed').getAttribute('title')) ?? '', /has not reported billed time yet\. The call lasted \d+m/);
    await screenshot(d.page, 'dashboard-call-panel');
    await d.page.keyboard.press('Escape');
    await d.page.getByTestId('calls-search').fill('');
    await d.page.getByTestId('calls-search').press('Enter');
  });

  test('panels: a message in full, and a cost-status filter on Messages', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await d.ledger();
    await go(d.page, 'messages');
    const row = d.page.locator('[data-testid^="message-row-"]').first();
    await row.waitFor();
    const id = (await row.getAttribute('data-testid'))!.slice('message-row-'.length);
    await row.click();
    const m = db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as Record<string, bigint | string | null>;
    const kind = String(m.message_type);
    assert.equal(
      await d.page.getByTestId('message-detail-title').textContent(),
      m.direction === 'inbound' ? `Inbound ${kind} from ${m.other_number}` : `Outbound ${kind} to ${m.other_number}`,
    );
    assert.equal(
      await d.page.getByTestId('message-detail-cost').locator('.money').getAttribute('data-amount'),
      m.cost_nanos === null ? null : exactAmount(m.cost_nanos as bigint),
    );
    if (m.carrier_fee_nanos !== null) {
      assert.equal(await d.page.getByTestId('message-detail-fee').textContent(), shownAmount(m.carrier_fee_nanos as bigint, String(m.currency)));
    }
    assert.equal(await d.page.getByTestId('message-detail-parts').textContent(), String(m.parts));
    assert.equal(await d.page.getByTestId('message-detail-rate').textContent(), m.rate === null ? '—' : `${m.rate} ${m.currency} per part`);
    assert.equal(await d.page.getByTestId('message-detail-id').textContent(), id);
    await screenshot(d.page, 'dashboard-message-panel');
    // Escape closes it and gives the focus back to the row.
    await d.page.keyboard.press('Escape');
    await waitFor(async () => (await d.page.getByTestId('message-detail').count()) === 0, 'the panel to close');
    await waitFor(
      async () => (await d.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === `message-row-${id}`,
      'focus back on the row',
    );

    // The status filter: exactly the ledger's messages in that state (the account's messages
    // all get Telnyx's cost, so "open" and "not billable" must empty a full list).
    const all = Number(await d.page.getByTestId('messages-table').getAttribute('data-total'));
    assert.ok(all > 0);
    for (const status of ['exact', 'open', 'not_billable'] as const) {
      await d.page.getByTestId('messages-status').selectOption(status);
      const want = Number(db.prepare('SELECT COUNT(*) FROM messages WHERE cost_status = ?').pluck().get(status));
      await waitFor(async () => (await d.page.getByTestId('messages-table').getAttribute('data-total')) === String(want), `${want} ${status} messages`);
      const shownBadges = await d.page
        .locator('[data-testid^="message-row-"] [data-col="costStatus"] .badge')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-badge')));
      assert.ok(
        shownBadges.every((b) => b === status),
        `${status}: ${shownBadges.join(',')}`,
      );
      t.diagnostic(`${status}: ${want} of ${all}`);
    }
    await d.page.getByTestId('messages-status').selectOption('');
  });
});
