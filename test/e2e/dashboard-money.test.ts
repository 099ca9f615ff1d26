// Money people can read (issue 13, point 2), in Chromium over the browser host against a
// simulated account (support/dashboard.ts): totals to the currency's minor unit with grouping,
// one cost with every digit it has, the exact value on hover, minutes grouped, a legend, and
// variance coloured over or under the estimate. Every figure is worked out from the ledger.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { haveChromium, waitFor } from './support/app.ts';
import { firstRows, go, screenshot } from './support/browser.ts';
import { cssColor, LAST7, overviewLast7, sharedDashboard } from './support/dashboard.ts';
import { exactAmount, ledgerTotals, perCurrency, shownAmount, shownTotal } from './support/truth.ts';

const d = sharedDashboard('e2e-dashboard-money');

describe('money on the dashboard', { concurrency: false }, () => {
  test('money: totals to the minor unit with grouping, one cost with every digit, exact on hover', { timeout: 40_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await overviewLast7(d.page);
    const db = await d.ledger();
    const byCurrency = perCurrency(ledgerTotals(db, LAST7.from, LAST7.to));
    for (const [currency, want] of byCurrency) {
      const footer = d.page.getByTestId(`summary-total-${currency}`);
      for (const [col, nanos] of [
        ['estimated', want.estimated],
        ['exact', want.exact],
        ['booked', want.booked],
      ] as const) {
        const cell = footer.locator(`[data-col="${col}"] .money`);
        const text = (await cell.textContent()) ?? '';
        assert.equal(text, shownTotal(nanos, currency), `${currency} ${col}`);
        assert.match(text, /^-?\d{1,3}(,\d{3})*\.\d{2} [A-Z]{3}$/, `${currency} ${col}: two decimals, grouped`);
        assert.equal(await cell.getAttribute('data-amount'), exactAmount(nanos));
        assert.equal(await cell.getAttribute('title'), shownAmount(nanos, currency), 'every digit on hover');
      }
    }
    // Billed minutes in thousands are grouped: the core's per-number minutes summed exactly.
    const summary = await d.app.call('overview.summary', { range: LAST7 });
    const tenths = summary.rows.filter((r) => r.currency === 'USD').reduce((a, r) => a + BigInt(r.minutes.replace('.', '')), 0n);
    assert.ok(tenths >= 10_000n, `USD minutes ${tenths} tenths: over a thousand`);
    const usdMinutes = await d.page.getByTestId('summary-total-USD').locator('[data-col="minutes"]').textContent();
    assert.equal(usdMinutes, `${(tenths / 10n).toLocaleString('en-US')}.${tenths % 10n}`);
    assert.match(usdMinutes ?? '', /^\d{1,3}(,\d{3})+\.\d$/);

    // Variance: over the estimate in one hue, under in another; neither is the "bad" red.
    const over = d.page.locator('[data-col="variance"] .money[data-variance="over"]').first();
    const under = d.page.locator('[data-col="variance"] .money[data-variance="under"]').first();
    assert.ok((await under.count()) > 0 || (await over.count()) > 0, 'a variance is shown');
    const colorOf = (sel: string) => d.page.evaluate((s) => getComputedStyle(document.querySelector(s)!).color, sel);
    const bad = await cssColor(d.page, '--bad-fg');
    for (const side of ['over', 'under'] as const) {
      const el = d.page.locator(`[data-col="variance"] .money[data-variance="${side}"]`).first();
      if ((await el.count()) === 0) continue;
      const text = (await el.textContent()) ?? '';
      assert.ok(side === 'over' ? text.startsWith('+') : text.startsWith('-'), `${side}: ${text} carries its sign`);
      assert.match((await el.getAttribute('title')) ?? '', new RegExp(`${side} the estimate$`));
      assert.notEqual(await colorOf(`[data-col="variance"] .money[data-variance="${side}"]`), bad, `${side} is not shown as an error`);
    }
    if ((await over.count()) && (await under.count())) {
      assert.notEqual(
        await colorOf('[data-col="variance"] .money[data-variance="over"]'),
        await colorOf('[data-col="variance"] .money[data-variance="under"]'),
      );
    }
    // A legend names the four words.
    const legend = d.page.getByTestId('money-legend');
    assert.deepEqual(await legend.locator('dt').allTextContents(), ['Estimated', 'Exact', 'Booked', 'Variance']);
    for (const h of ['Estimated', 'Exact', 'Booked', 'Variance']) {
      assert.ok(
        (await d.page.getByTestId('summary-table').getByRole('columnheader', { name: h, exact: true }).getAttribute('title'))?.length,
        `${h} header has a tooltip`,
      );
    }

    // Calls: one call's cost with the precision it has, never padded past it or rounded.
    await go(d.page, 'calls');
    await waitFor(async () => Number(await d.page.getByTestId('calls-table').getAttribute('data-total')) > 0, 'calls');
    const rows = await firstRows(d.page, 'call-row-', 15);
    const n = rows.length;
    let longer = 0;
    for (const { row, id } of rows) {
      const c = db.prepare('SELECT estimated_nanos, estimate_currency FROM calls WHERE id = ?').get(Number(id)) as {
        estimated_nanos: bigint | null;
        estimate_currency: string | null;
      };
      if (c.estimated_nanos === null) continue;
      const cell = row.locator('[data-col="estimated"] .money');
      assert.equal(await cell.textContent(), shownAmount(c.estimated_nanos, c.estimate_currency!), `call ${id} estimate`);
      assert.equal(await cell.getAttribute('data-amount'), exactAmount(c.estimated_nanos));
      if (/\.\d{3,}/.test((await cell.textContent()) ?? '')) longer++;
    }
    t.diagnostic(`${longer} of ${n} estimates shown with more than two decimals`);
    await screenshot(d.page, 'dashboard-money-calls');

    // Messages: a cost with five decimals keeps them ("0.00805 USD"), the fee too.
    await go(d.page, 'messages');
    const mrows = await firstRows(d.page, 'message-row-', 25);
    const m = mrows.length;
    let fine = 0;
    for (const { row, id } of mrows) {
      const r = db.prepare('SELECT cost_nanos, currency FROM messages WHERE id = ?').get(id) as { cost_nanos: bigint | null; currency: string | null };
      if (r.cost_nanos === null) continue;
      const text = await row.locator('[data-col="cost"] .money').textContent();
      assert.equal(text, shownAmount(r.cost_nanos, r.currency!), `message ${id} cost`);
      if (r.cost_nanos % 1_000_000n !== 0n) fine++;
    }
    t.diagnostic(`${fine} of ${m} message costs finer than a thousandth`);
  });
});
