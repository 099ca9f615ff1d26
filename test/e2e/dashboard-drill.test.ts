// Drill-down, grouping, top destinations and one period (issue 13, points 3 and 4), in real
// Chromium over the browser host, against a simulated Telnyx account over real HTTP: a number
// opens its calls and messages (same period, the way back offered, the browser's Back works);
// the Overview groups by billing group, tag, connection, direction, country and kind with one
// row per group and currency; the first glance names the top destinations; a period chosen on
// one screen is the period of the others; the export dialog asks for the time zone and says
// how many rows were written (the CSV parsed back with csv-parse). Expected figures from the ledger's rows (a second,
// read-only connection), summed here in TypeScript, never from the views.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import type { Request } from 'playwright';
import { formatMoney } from '../../shared/money.ts';
import { haveChromium, waitFor } from './support/app.ts';
import { axeScan, darkShotAndAxe, describeFindings, go, openApp, screenshot } from './support/browser.ts';
import { LAST7, overviewLast7, sharedDashboard, type Dashboard } from './support/dashboard.ts';

const d = sharedDashboard('e2e-dashboard-drill');

type By = 'billingGroup' | 'tag' | 'connection' | 'direction' | 'country' | 'kind';
interface Group {
  calls: number;
  messages: number;
  total: bigint;
}

/** Per group key and currency: calls, messages and total booked (calls booked + messages' cost), from the rows. */
function expectedGroups(db: Database.Database, by: By, from: number, to: number): Map<string, Group> {
  const calls = db.prepare('SELECT * FROM calls WHERE started_at >= ? AND started_at < ?').all(from, to) as Record<string, string | bigint | null>[];
  const messages = db.prepare('SELECT * FROM messages WHERE sent_at >= ? AND sent_at < ?').all(from, to) as Record<string, string | bigint | null>[];
  const out = new Map<string, Group>();
  const add = (keys: Array<string | null>, cur: string, kind: 'calls' | 'messages', amount: bigint) => {
    for (const k of keys) {
      const id = `${k ?? ''}|${cur}`;
      const g = out.get(id) ?? { calls: 0, messages: 0, total: 0n };
      g[kind] += 1;
      g.total += amount;
      out.set(id, g);
    }
  };
  const tags = (t: unknown) => (typeof t === 'string' ? (JSON.parse(t) as string[]) : [null]);
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  for (const c of calls) {
    const exact = c.cost_source !== null && c.cost_source !== 'estimate';
    const booked = ((exact ? c.exact_nanos : c.estimated_nanos) as bigint | null) ?? 0n;
    const keys: Record<By, Array<string | null>> = {
      billingGroup: [text(c.billing_group_id ?? c.billing_group_name)],
      tag: tags(c.tags),
      connection: [text(c.connection_id ?? c.connection_name)],
      direction: [text(c.direction)],
      country: [text(c.country_code)],
      kind: [`voice-${String(c.direction)}`],
    };
    add(keys[by], String(c.currency ?? c.estimate_currency ?? 'USD'), 'calls', booked);
  }
  for (const m of messages) {
    const profile = m.messaging_profile_id ?? m.messaging_profile_name;
    const keys: Record<By, Array<string | null>> = {
      billingGroup: [null],
      tag: tags(m.tags),
      connection: [profile === null ? null : `profile:${String(profile)}`],
      direction: [text(m.direction)],
      country: [text(m.country_code)],
      kind: [String(m.message_type || 'SMS').toLowerCase()],
    };
    add(keys[by], String(m.currency ?? 'USD'), 'messages', (m.cost_nanos as bigint | null) ?? 0n);
  }
  return out;
}

async function shownGroups(d: Dashboard): Promise<Map<string, { calls: number; messages: number; total: string }>> {
  const rows = await d.page.getByTestId('group-row').evaluateAll((els) =>
    els.map((el) => {
      const cells = el.querySelectorAll('td');
      return {
        id: `${el.getAttribute('data-key')}|${el.getAttribute('data-currency')}`,
        calls: Number(cells[1]?.textContent?.replace(/\D/g, '')),
        messages: Number(cells[3]?.textContent?.replace(/\D/g, '')),
        total: el.querySelector('[data-col="total"] .money')?.getAttribute('data-amount') ?? '',
      };
    }),
  );
  return new Map(rows.map(({ id, ...r }) => [id, r]));
}

describe('drill-down, grouping and one period', { concurrency: false }, () => {
  test('a number opens its calls and its messages for the same period, and the way back', { timeout: 90_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await overviewLast7(d.page);
    const db = await d.ledger();
    const [number, calls, messages] = db
      .prepare(
        `SELECT our_number, (SELECT COUNT(*) FROM calls c WHERE c.our_number = n.our_number AND started_at >= @from AND started_at < @to),
           (SELECT COUNT(*) FROM messages m WHERE m.our_number = n.our_number AND sent_at >= @from AND sent_at < @to)
         FROM (SELECT our_number FROM calls UNION SELECT our_number FROM messages) n ORDER BY 3 DESC, 2 DESC LIMIT 1`,
      )
      .raw()
      .get(LAST7) as [string, bigint, bigint];
    db.close();
    assert.ok(calls > 0n && messages > 0n, 'a number with calls and messages in the period');
    const row = d.page.locator(`[data-testid="summary-row"][data-number="${number}"]`).first();
    await row.getByTestId('drill-number').click();
    await d.page.getByTestId('screen-calls').waitFor();
    assert.match(d.page.url(), /#\/calls$/);
    assert.equal(await d.page.getByTestId('calls-number').inputValue(), number);
    assert.equal(await d.page.getByTestId('calls-range-preset').inputValue(), 'last7');
    await waitFor(
      async () => (await d.page.getByTestId('calls-total').textContent()) === `${calls} call${calls === 1n ? '' : 's'}` || null,
      `${calls} calls of ${number}`,
    );
    await d.page.getByTestId('drill-back').waitFor();
    await screenshot(d.page, 'e2e-drill-calls');
    const r = await axeScan(d.page, 'drill-calls');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
    // The browser's Back returns to the Overview, as it was.
    await d.page.goBack();
    await d.page.getByTestId('screen-overview').waitFor();
    await row.getByTestId('drill-messages').click();
    await d.page.getByTestId('screen-messages').waitFor();
    assert.equal(await d.page.getByTestId('messages-number').inputValue(), number);
    await waitFor(
      async () => (await d.page.getByTestId('messages-total').textContent()) === `${messages} message${messages === 1n ? '' : 's'}` || null,
      `${messages} messages of ${number}`,
    );
    await d.page.getByTestId('drill-back').getByRole('link', { name: '← Back to Overview' }).click();
    await d.page.getByTestId('screen-overview').waitFor();
    await d.page.locator(`[data-testid="summary-row"][data-number="${number}"]`).first().waitFor();
  });

  test('grouped by each attribute: one row per group and currency, figures from the rows', { timeout: 120_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await overviewLast7(d.page);
    const db = await d.ledger();
    for (const by of ['billingGroup', 'tag', 'connection', 'direction', 'country', 'kind'] as const) {
      await d.page.getByTestId('overview-group-by').selectOption(by);
      await waitFor(async () => (await d.page.locator(`[data-testid="groups-table"][data-by="${by}"]`).count()) > 0 || null, `grouped by ${by}`);
      const want = expectedGroups(db, by, LAST7.from, LAST7.to);
      const shown = await shownGroups(d);
      assert.deepEqual(
        [...shown].sort(([a], [b]) => (a < b ? -1 : 1)),
        [...want].map(([id, g]) => [id, { calls: g.calls, messages: g.messages, total: formatMoney(g.total) }] as const).sort(([a], [b]) => (a < b ? -1 : 1)),
        `by ${by}`,
      );
      assert.ok(shown.size > 1, `by ${by}: more than one group (the account has that variety)`);
    }
    db.close();
    await d.page.getByTestId('overview-group-by').selectOption('kind');
    await screenshot(d.page, 'e2e-overview-grouped-kind');
    const r = await darkShotAndAxe(d.page, 'e2e-overview-grouped-kind-dark', 'overview-grouped');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
    await d.page.getByTestId('overview-group-by').selectOption('number');
    await d.page.getByTestId('summary-table').waitFor();
  });

  test('the first glance names the top destinations per currency', { timeout: 60_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await overviewLast7(d.page);
    const db = await d.ledger();
    const per = expectedGroups(db, 'country', LAST7.from, LAST7.to);
    db.close();
    const currencies = new Set([...per.keys()].map((k) => k.split('|')[1]!));
    for (const cur of currencies) {
      const want = [...per]
        .map(([id, g]) => ({ key: id.split('|')[0]!, cur: id.split('|')[1]!, total: g.total }))
        .filter((g) => g.cur === cur && g.key !== '' && g.total !== 0n)
        .sort((a, b) => (b.total > a.total ? 1 : b.total < a.total ? -1 : a.key < b.key ? -1 : 1))
        .slice(0, 3)
        .map((g) => [g.key, formatMoney(g.total)]);
      const card = d.page.getByTestId(`glance-${cur}`);
      if (want.length === 0) continue;
      await card.getByTestId('glance-destinations').waitFor();
      const shown = await card
        .getByTestId('glance-destinations')
        .locator('li')
        .evaluateAll((els) => els.map((el) => [el.getAttribute('data-country'), el.querySelector('.money')?.getAttribute('data-amount')]));
      assert.deepEqual(shown, want, `${cur} top destinations`);
    }
  });

  test('a period chosen on one screen is the period of the others', { timeout: 60_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await go(d.page, 'overview');
    await d.page.getByTestId('overview-range-preset').selectOption('today');
    await go(d.page, 'calls');
    assert.equal(await d.page.getByTestId('calls-range-preset').inputValue(), 'today');
    await go(d.page, 'messages');
    assert.equal(await d.page.getByTestId('messages-range-preset').inputValue(), 'today');
    await d.page.getByTestId('messages-range-preset').selectOption('all');
    await go(d.page, 'overview');
    assert.equal(await d.page.getByTestId('overview-range-preset').inputValue(), 'all');
    await d.page.getByTestId('overview-range-preset').selectOption('last7');
  });
});

describe('the export dialog', { concurrency: false }, () => {
  test('says how many rows were written, and asks for the time zone of the times', { timeout: 90_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await overviewLast7(d.page);
    const sent: Array<Record<string, unknown>> = [];
    const onRequest = (r: Request) => {
      if (r.url().endsWith('/api/call/export.run')) sent.push(JSON.parse(r.postData() ?? '{}') as Record<string, unknown>);
    };
    d.page.on('request', onRequest);
    await d.page.getByTestId('export-open').click();
    await d.page.getByTestId('export-dialog').waitFor();
    const db = await d.ledger();
    const want: Record<string, number> = {
      calls: Number(db.prepare('SELECT COUNT(*) FROM calls WHERE started_at >= ? AND started_at < ?').pluck().get(LAST7.from, LAST7.to)),
      messages: Number(db.prepare('SELECT COUNT(*) FROM messages WHERE sent_at >= ? AND sent_at < ?').pluck().get(LAST7.from, LAST7.to)),
    };
    db.close();
    for (const [report, zone] of [
      ['calls', 'utc'],
      ['messages', 'local'],
    ] as const) {
      await d.page.getByTestId('export-report').selectOption(report);
      await d.page.getByTestId(`export-zone-${zone}`).check();
      const download = d.page.waitForEvent('download');
      await d.page.getByTestId('export-run').click();
      const file = await download;
      // Data rows: the file ends with one Total row per currency (first column Row = Total).
      const rows = (
        parse(readFileSync(await file.path(), 'utf8'), { columns: true, bom: true, strict: true } as never) as Array<Record<string, string>>
      ).filter((r) => r.Row !== 'Total');
      const outcome = d.page.getByTestId('export-outcome').locator('.notice');
      await waitFor(async () => (await d.page.getByTestId('export-outcome').getAttribute('data-outcome')) === 'download' || null, `${report} written`);
      assert.equal(rows.length, want[report], `${report}: the file has every row of the period`);
      assert.equal(await outcome.getAttribute('data-rows'), String(rows.length), `${report}: the dialog counts what was written`);
      assert.match(
        (await outcome.innerText()).trim(),
        new RegExp(`^Written \\(${rows.length.toLocaleString('en-US')} rows\\): your browser saves cost-desk-${report}-`),
      );
      // The page runs in UTC: "your time zone" is UTC here as well.
      assert.equal(sent.at(-1)?.timeZone, 'UTC', `${report}: the time zone asked for`);
    }
    await screenshot(d.page, 'e2e-export-dialog-rows');
    const r = await axeScan(d.page, 'export-dialog');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
    await d.page.getByTestId('export-close').click();
    d.page.off('request', onRequest);

    // Where the user's time zone is not UTC, the dialog names it and asks the host for it.
    const berlin = await openApp(d.app.host, { timezoneId: 'Europe/Berlin' });
    try {
      const p = berlin.page;
      const asked: Array<Record<string, unknown>> = [];
      p.on('request', (q) => {
        if (q.url().endsWith('/api/call/export.run')) asked.push(JSON.parse(q.postData() ?? '{}') as Record<string, unknown>);
      });
      await p.getByTestId('export-open').click();
      const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' })
        .formatToParts(new Date())
        .find((x) => x.type === 'timeZoneName')!
        .value.replace('GMT', 'UTC');
      assert.match(await p.getByTestId('export-zone').innerText(), new RegExp(`Your time zone \\(Europe/Berlin, ${offset.replace('+', '\\+')}\\)`));
      const download = p.waitForEvent('download');
      await p.getByTestId('export-run').click();
      await download;
      assert.equal(asked.at(-1)?.timeZone, 'Europe/Berlin');
      await p.getByTestId('export-zone-utc').check();
      const again = p.waitForEvent('download');
      await p.getByTestId('export-run').click();
      await again;
      assert.equal(asked.at(-1)?.timeZone, 'UTC');
      assert.deepEqual(berlin.problems, []);
    } finally {
      await berlin.context.close();
    }
  });
});
