// A first glance (issue 13, point 3): at the top of the Overview, per currency, the booked
// total, the share of call costs already exact, the estimate still open, the variance and the
// top numbers, against the period before; and an "All time" period. Expected figures from the
// ledger's rows (a second, read-only connection), never from the views.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { formatMoney } from '../../shared/money.ts';
import { haveChromium, utcMidnightDaysAgo, waitFor } from './support/app.ts';
import { darkShotAndAxe, describeFindings, go, screenshot } from './support/browser.ts';
import { sharedDashboard } from './support/dashboard.ts';

const d = sharedDashboard('e2e-dashboard-glance');

interface Expected {
  booked: bigint;
  exact: bigint;
  open: bigint;
  top: Array<[string, bigint]>;
}

/** Per currency: booked (calls and SMS), exact and still-open call costs, the top 3 numbers. */
function expected(db: Database.Database, from: number, to: number): Map<string, Expected> {
  const rows = db
    .prepare(
      `SELECT our_number AS number, COALESCE(currency, estimate_currency, 'USD') AS cur,
         COALESCE(SUM(CASE WHEN cost_source IS NOT NULL AND cost_source <> 'estimate' THEN exact_nanos ELSE estimated_nanos END), 0) AS booked,
         COALESCE(SUM(CASE WHEN cost_source IS NOT NULL AND cost_source <> 'estimate' THEN exact_nanos END), 0) AS exact
       FROM calls WHERE started_at >= ? AND started_at < ? GROUP BY 1, 2
       UNION ALL
       SELECT our_number, COALESCE(currency, 'USD'), COALESCE(SUM(cost_nanos), 0), NULL FROM messages WHERE sent_at >= ? AND sent_at < ? GROUP BY 1, 2`,
    )
    .all(from, to, from, to) as { number: string; cur: string; booked: bigint; exact: bigint | null }[];
  const out = new Map<string, Expected & { per: Map<string, bigint> }>();
  for (const r of rows) {
    const e = out.get(r.cur) ?? { booked: 0n, exact: 0n, open: 0n, top: [], per: new Map<string, bigint>() };
    e.booked += r.booked;
    if (r.exact !== null) {
      e.exact += r.exact;
      e.open += r.booked - r.exact;
    }
    e.per.set(r.number, (e.per.get(r.number) ?? 0n) + r.booked);
    out.set(r.cur, e);
  }
  for (const e of out.values()) {
    e.top = [...e.per].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0] < b[0] ? -1 : 1)).slice(0, 3);
  }
  return out;
}

const pct = (part: bigint, whole: bigint) => {
  const tenths = (part * 2000n + whole) / (whole * 2n);
  return `${tenths / 10n}.${tenths % 10n}`;
};

describe('the first glance', { concurrency: false }, () => {
  const check = async (from: number, to: number, previous: { from: number; to: number } | null) => {
    const db = await d.ledger();
    const want = expected(db, from, to);
    const before = previous ? expected(db, previous.from, previous.to) : null;
    assert.ok(want.size > 0);
    for (const [cur, e] of want) {
      const card = d.page.getByTestId(`glance-${cur}`);
      await card.waitFor();
      await waitFor(
        async () => (await card.getByTestId('glance-booked').locator('.money').getAttribute('data-amount')) === formatMoney(e.booked) || null,
        `${cur} booked`,
      );
      assert.equal(await card.getByTestId('glance-open').locator('.money').getAttribute('data-amount'), formatMoney(e.open), `${cur} open`);
      assert.equal(
        await card.getByTestId('glance-exact-share').textContent(),
        e.exact + e.open > 0n ? `${pct(e.exact, e.exact + e.open)}% of call costs` : 'n/a',
      );
      const top = await card
        .getByTestId('glance-top')
        .locator('li')
        .evaluateAll((els) => els.map((el) => [el.getAttribute('data-number'), el.querySelector('.money')?.getAttribute('data-amount')]));
      assert.deepEqual(
        top,
        e.top.map(([n, v]) => [n, formatMoney(v)]),
        `${cur} top numbers`,
      );
      const change = card.getByTestId('glance-booked-change');
      if (!before) assert.equal(await change.count(), 0, 'no period before "All time"');
      else {
        const b = before.get(cur)?.booked;
        const text = await change.textContent();
        if (!b) assert.equal(text, '(nothing the period before)');
        else {
          const diff = e.booked - b;
          const base = b < 0n ? -b : b;
          assert.equal(text, `${diff < 0n ? '-' : '+'}${pct(diff < 0n ? -diff : diff, base)}% vs the period before`);
        }
      }
    }
    db.close();
  };

  test('Today against yesterday, Last 7 days, and All time', { timeout: 90_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await go(d.page, 'overview');
    const range = d.page.getByTestId('overview-range-preset');
    // The account's calls follow the wall clock: in the first minutes after UTC midnight nothing
    // has landed today yet, and the one-day comparison is made on yesterday instead.
    const db = await d.ledger();
    const landedToday = Number(
      db
        .prepare('SELECT (SELECT COUNT(*) FROM calls WHERE started_at >= @from) + (SELECT COUNT(*) FROM messages WHERE sent_at >= @from)')
        .pluck()
        .get({ from: utcMidnightDaysAgo(0) }),
    );
    db.close();
    const day = landedToday > 0 ? 0 : 1;
    await range.selectOption(day === 0 ? 'today' : 'yesterday');
    await check(utcMidnightDaysAgo(day), utcMidnightDaysAgo(day - 1), { from: utcMidnightDaysAgo(day + 1), to: utcMidnightDaysAgo(day) });
    await range.selectOption('last7');
    await check(utcMidnightDaysAgo(6), utcMidnightDaysAgo(-1), { from: utcMidnightDaysAgo(13), to: utcMidnightDaysAgo(6) });
    await screenshot(d.page, 'e2e-overview-first-glance');
    await range.selectOption('all');
    await check(0, Date.UTC(2100, 0, 1), null);
    await screenshot(d.page, 'e2e-overview-first-glance-all-time');
    const r = await darkShotAndAxe(d.page, 'e2e-overview-first-glance-dark', 'overview-first-glance');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
  });
});
