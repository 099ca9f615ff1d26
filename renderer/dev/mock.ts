// DEV ONLY — an in-memory stand-in for the core so the UI can be seen without one.
// Loaded only by `vite` (serve, with ?mock) or a `--mode mock` build; production bundles
// never contain it (select.ts guards the import with compile-time constants).
// URL flags: ?mock&mode=demo|live|unconfigured  &calls=N  &authError  &paused  &empty
import { TOPICS } from '../../shared/access.ts';
import { alertHandlers, dataHandlers, statementHandlers } from './mock-data.ts';
import type { AppError, CallRow, JobView, Method, MessageRow, ImportProgress, ParsedInput, SettingsView, SyncStatus } from '../../shared/contract.ts';
import type { CallBadge, RecordType } from '../../shared/domain.ts';
import { formatMoney } from '../../shared/money.ts';
import type { RawTransport } from '../api/types.ts';

const params = new URLSearchParams(window.location.search);
const NOW = Date.now();
const EMPTY = params.has('empty');
const CALLS = EMPTY ? 0 : Number(params.get('calls') ?? 1_000_000);
const MESSAGES = EMPTY ? 0 : 25_000;
const OURS = ['+13125550100', '+13125550101', '+14155550142', '+442071838750'];
const BADGES: CallBadge[] = ['exact', 'exact', 'exact', 'estimated', 'pending', 'exact', 'failed', 'not_billable', 'no_record', 'exact', 'exact', 'open'];

type Listener = (event: string, payload: unknown) => void;
const listeners = new Set<Listener>();
const emit = (event: string, payload: unknown) => listeners.forEach((l) => l(event, payload));

const money = (nanos: bigint, currency = 'USD') => ({ amount: formatMoney(nanos, 2), currency });
const hash = (i: number) => {
  let x = (i + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
};

let mode: 'unconfigured' | 'live' | 'demo' = (params.get('mode') as 'live') ?? 'unconfigured';
if (!['unconfigured', 'live', 'demo'].includes(mode)) mode = 'unconfigured';

let settings: SettingsView = {
  apiKeySet: mode === 'live',
  apiKeyHint: mode === 'live' ? '…4f2a' : null,
  keyStorage: mode === 'live' ? 'basic-text' : 'none',
  keyStorageWarning:
    mode === 'live'
      ? 'Your desktop has no keyring; the key is stored unencrypted in the data folder. Install gnome-keyring or KWallet for encrypted storage.'
      : null,
  apiBaseUrl: 'https://api.telnyx.com/v2',
  rates: {
    inboundPerMinute: '0.0035',
    outboundPerMinute: '0.0070',
    currency: 'USD',
    firstIncrementSec: 60,
    nextIncrementSec: 60,
    minimumSec: 0,
    learnRates: true,
    otherCurrencies: [{ currency: 'EUR', inboundPerMinute: '0.0030', outboundPerMinute: '0.0065' }],
    numbers: [],
  },
  pollingEnabled: true,
  pollingIntervalSec: 60,
  retryScheduleMs: [30_000, 120_000, 600_000, 3_600_000],
  settleWindowMs: 6 * 3_600_000,
  dataDir: '/home/user/.config/telnyx-cost-desk',
};

let sync: SyncStatus = {
  mode,
  pollingEnabled: true,
  running: false,
  lastSyncAt: NOW - 42_000,
  nextSyncAt: NOW + 18_000,
  lastError: params.has('authError') ? { code: 'auth', message: 'Telnyx rejected the API key (401).', action: 'Enter a valid API key in Settings.' } : null,
  fetcherPaused: params.has('paused'),
  fetcherPauseReason: params.has('paused') ? 'rate limited by Telnyx until 12:05:00' : null,
  pendingJobs: 14,
  failedJobs: 3,
  unusableEvents: { total: 0, reasons: [] },
  unlinkedFeatureRecords: 0,
};

function call(i: number): CallRow {
  const h = hash(i);
  const badge = BADGES[h % BADGES.length]!;
  const inbound = (h >>> 4) % 3 === 0;
  const startedAt = NOW - 60_000 - i * 37_000;
  const callSec = badge === 'open' ? null : ((h >>> 8) % 900) + 3;
  const billedSec = callSec === null ? null : Math.ceil(callSec / 60) * 60;
  const rate = inbound ? 3_500_000n : 7_000_000n; // nanos per minute
  const est = billedSec === null ? null : (rate * BigInt(billedSec)) / 60n;
  const act = est === null ? null : est + BigInt(((h >>> 12) % 9) - 3) * 100_000n;
  const eur = (h >>> 20) % 23 === 0;
  const cur = eur ? 'EUR' : 'USD';
  const estimated = badge === 'not_billable' || est === null ? null : money(est, cur);
  const exact = badge === 'exact' && act !== null ? money(act, cur) : badge === 'not_billable' ? money(0n, cur) : null;
  return {
    id: i + 1,
    callLegId: `leg-${(h >>> 0).toString(16)}-${i}`,
    callSessionId: `sess-${(h >>> 3).toString(16)}`,
    callControlId: `v3:${(h >>> 1).toString(36)}`,
    ourNumber: OURS[h % OURS.length]!,
    otherNumber: `+1${String(2000000000 + (h % 7999999999)).slice(0, 10)}`,
    direction: inbound ? 'inbound' : 'outbound',
    startedAt,
    endedAt: callSec === null ? null : startedAt + callSec * 1000,
    callSec,
    billedSec,
    estimated,
    exact,
    booked: exact ?? estimated,
    badge,
    costSource: exact ? 'detail_record' : estimated ? 'estimate' : null,
    estimateMethod: estimated ? (h % 2 ? 'fallback rate 0.0070/min, 60/60' : 'learned rate from 12 recent calls') : null,
  };
}

function message(i: number): MessageRow {
  const h = hash(i + 7);
  const inbound = h % 3 === 0;
  const st = ['exact', 'exact', 'open', 'not_billable', 'no_record'][h % 5]!;
  return {
    id: `msg-${(h >>> 2).toString(16)}-${i}`,
    ourNumber: OURS[h % OURS.length]!,
    otherNumber: `+1${String(3000000000 + (h % 6999999999)).slice(0, 10)}`,
    direction: inbound ? 'inbound' : 'outbound',
    messageType: h % 11 === 0 ? 'MMS' : 'SMS',
    parts: (h % 3) + 1,
    status: inbound ? 'received' : ['delivered', 'sent', 'delivery_failed'][h % 3]!,
    sentAt: NOW - i * 91_000,
    cost: st === 'exact' ? money(4_000_000n * BigInt((h % 3) + 1)) : null,
    carrierFee: st === 'exact' ? money(2_500_000n) : null,
    rate: st === 'exact' ? '0.004' : null,
    costStatus: st,
    costSource: st === 'exact' ? 'message_finalized_event' : null,
  };
}

const filterCache = new Map<string, number[]>();
function matching(key: string, n: number, make: (i: number) => { ourNumber: string; otherNumber: string }, extra: (i: number) => boolean): number[] {
  const hit = filterCache.get(key);
  if (hit) return hit;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (extra(i)) out.push(i);
  filterCache.set(key, out);
  void make;
  return out;
}

const jobs: JobView[] = EMPTY
  ? []
  : Array.from({ length: 240 }, (_, k) => {
      const status = (['pending', 'failed', 'completed', 'completed', 'running', 'no_record', 'not_billable', 'completed'] as const)[k % 8]!;
      return {
        id: k + 1,
        kind: k % 5 === 0 ? 'message_cost' : 'call_cost',
        subject: k % 5 === 0 ? `msg-${k}` : `call ${k + 1}`,
        callId: k % 5 === 0 ? null : k + 1,
        messageId: k % 5 === 0 ? `msg-${k}` : null,
        ourNumber: OURS[k % OURS.length]!,
        status,
        attempts: status === 'failed' ? 6 : status === 'pending' ? 1 : 2,
        nextRunAt: status === 'pending' ? NOW + 30_000 * (k % 7) : null,
        lastError:
          status === 'failed'
            ? 'telnyx_unavailable: 503 from /v2/detail_records after 6 attempts'
            : status === 'pending'
              ? 'detail record not available yet'
              : null,
        updatedAt: NOW - k * 60_000,
        completedAt: status === 'completed' ? NOW - k * 60_000 : null,
        amount: { amount: '0.0150', currency: 'USD' },
      } satisfies JobView;
    });

const imports: ImportProgress[] = EMPTY
  ? []
  : [
      {
        importId: 1,
        status: 'completed',
        range: { from: NOW - 30 * 86_400_000, to: NOW - 86_400_000 },
        recordTypes: ['call-control', 'messaging'],
        pagesDone: 48,
        pagesTotal: 48,
        records: 23_811,
        rejected: 2,
        startedAt: NOW - 3 * 86_400_000,
        finishedAt: NOW - 3 * 86_400_000 + 171_000,
        etaMs: null,
        error: null,
      },
    ];

const fail = (code: AppError['code'], message: string, action?: string) => ({ ok: false, error: action ? { code, message, action } : { code, message } });
const ok = (value: unknown) => ({ ok: true, value });
const info = () => ({ version: '0.1.0', host: 'web', mode, dataDir: settings.dataDir, ledgerFile: `${settings.dataDir}/ledger.sqlite`, nodeVersion: 'v22' });

function setMode(m: typeof mode) {
  mode = m;
  sync = { ...sync, mode };
  emit('sync.status', sync);
}

const handlers: { [M in Method]: (input: ParsedInput<M>) => unknown } = {
  'app.info': () => ok(info()),
  'settings.get': () => ok(settings),
  'verify.month': ({ month }) => fail('not_found', `no usage report in the demo mock for ${month}`),
  'doctor.run': () =>
    ok({
      ranAt: Date.now(),
      checks: [{ id: 'api_key', title: 'API key', status: 'ok', detail: 'Telnyx accepts the key.', meaning: null, fix: null }],
      problems: 0,
      warnings: 0,
    }),
  'settings.update': (p) => {
    if (p.settleWindowMs !== undefined && p.settleWindowMs > 7 * 86_400_000)
      return fail('invalid_input', 'settings.update: settleWindowMs must be at most 7 days in this mock');
    settings = { ...settings, ...p, rates: { ...settings.rates, ...(p.rates ?? {}) } };
    return ok(settings);
  },
  'settings.setApiKey': ({ apiKey }) => {
    if (String(apiKey).startsWith('bad'))
      return fail('auth', 'Telnyx rejected this API key (401 Unauthorized).', 'Copy the key again from the Telnyx portal; make sure it is a v2 API key.');
    settings = { ...settings, apiKeySet: true, apiKeyHint: `…${String(apiKey).slice(-4)}`, keyStorage: 'os-keychain', keyStorageWarning: null };
    setMode('live');
    return ok(settings);
  },
  'settings.clearApiKey': () => {
    settings = { ...settings, apiKeySet: false, apiKeyHint: null, keyStorage: 'none', keyStorageWarning: null };
    setMode('unconfigured');
    return ok(settings);
  },
  'demo.start': () => (setMode('demo'), ok(info())),
  'demo.stop': () => (setMode(settings.apiKeySet ? 'live' : 'unconfigured'), ok(info())),
  'sync.status': () => ok(sync),
  'sync.now': async () => {
    sync = { ...sync, running: true };
    emit('sync.status', sync);
    await new Promise((r) => setTimeout(r, 900));
    sync = { ...sync, running: false, lastSyncAt: Date.now(), nextSyncAt: Date.now() + 60_000 };
    emit('sync.status', sync);
    emit('ledger.changed', { at: Date.now(), topics: [...TOPICS] });
    return ok({ events: 12, newEvents: 3 });
  },
  'overview.summary': ({ numbers }) => {
    if (EMPTY) return ok({ rows: [] });
    const rows = OURS.filter((n) => !numbers || numbers.includes(n)).flatMap((n, k) => {
      const usd = {
        number: n,
        currency: 'USD',
        calls: 1200 + k * 311,
        minutes: `${3120 + k * 17}.5`,
        messages: 320 + k * 40,
        estimatedTotal: { amount: `${18 + k}.4210`, currency: 'USD' },
        exactTotal: { amount: `${17 + k}.98305`, currency: 'USD' },
        bookedTotal: { amount: `${18 + k}.0562`, currency: 'USD' },
        variance: { amount: k % 2 ? '0.4380' : '-0.2241', currency: 'USD' },
        variancePct: k % 2 ? '2.4' : '-1.2',
        messagesTotal: { amount: `${2 + k}.5600`, currency: 'USD' },
        pendingCalls: k * 3,
        failedCalls: k === 2 ? 1 : 0,
        exactCalls: 1100 + k * 300,
      };
      return k === 3
        ? [
            usd,
            {
              ...usd,
              currency: 'EUR',
              calls: 14,
              minutes: '31',
              messages: 0,
              estimatedTotal: { amount: '0.2100', currency: 'EUR' },
              exactTotal: { amount: '0.0018', currency: 'EUR' },
              bookedTotal: { amount: '0.1950', currency: 'EUR' },
              variance: { amount: '-0.0150', currency: 'EUR' },
              variancePct: null,
              messagesTotal: { amount: '0', currency: 'EUR' },
            },
          ]
        : [usd];
    });
    return ok({ rows });
  },
  // The mock has no attribution: every grouping is its per-number rows, labelled as such.
  'overview.groups': async ({ range, by, numbers }) => {
    const r = (await handlers['overview.summary']({ range, ...(numbers ? { numbers } : {}) })) as {
      value: { rows: Array<Record<string, unknown> & { number: string; bookedTotal: { amount: string; currency: string } }> };
    };
    return ok({
      rows: r.value.rows.map(({ number, ...x }) => ({ ...x, key: number, label: by === 'number' ? number : `${by} ${number}`, total: x.bookedTotal })),
    });
  },
  'overview.daily': ({ range }) => {
    if (EMPTY) return ok({ points: [] });
    const points = [];
    for (let t = range.from; t < range.to && points.length < 400; t += 86_400_000) {
      const d = new Date(t);
      const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      const h = hash(d.getDate());
      points.push({ day, currency: 'USD', estimated: `${3 + (h % 5)}.${h % 10}12`, exact: `${2 + (h % 4)}.9`, booked: `${3 + (h % 5)}.05` });
      points.push({ day, currency: 'EUR', estimated: `0.0${h % 9}5`, exact: '0.01', booked: `0.0${h % 7}2` });
    }
    return ok({ points });
  },
  'numbers.list': () => ok({ numbers: EMPTY ? [] : OURS }),
  'calls.list': (q) => {
    const filtered = Boolean(q.search || q.badge || q.number || q.range);
    let indices: number[] | null = null;
    if (filtered) {
      const key = JSON.stringify([q.search, q.badge, q.number, q.range]);
      indices = matching(key, CALLS, call, (i) => {
        const c = call(i);
        if (q.badge && c.badge !== q.badge) return false;
        if (q.number && c.ourNumber !== q.number) return false;
        if (q.range && (c.startedAt! < q.range.from || c.startedAt! >= q.range.to)) return false;
        if (q.search && !(c.ourNumber.startsWith(q.search) || c.otherNumber.startsWith(q.search) || c.callLegId === q.search || c.callSessionId === q.search))
          return false;
        return true;
      });
    }
    const total = indices ? indices.length : CALLS;
    const rows: CallRow[] = [];
    const asc = q.dir === 'asc';
    for (let k = q.offset; k < Math.min(total, q.offset + q.limit); k++) {
      const pos = asc ? total - 1 - k : k;
      rows.push(call(indices ? indices[pos]! : pos));
    }
    return ok({ rows, total });
  },
  'calls.get': ({ id }) => {
    if (id < 1 || id > CALLS) return fail('not_found', `No call ${id}`);
    const c = call(id - 1);
    return ok({
      call: {
        ...c,
        answeredAt: c.startedAt ? c.startedAt + 4000 : null,
        hangupCause: 'normal_clearing',
        rate: c.exact ? '0.0070' : null,
        estimateRate: c.estimated ? '0.0070' : null,
        connectionId: '1684641123236054244',
      },
      history: [
        ...(c.estimated
          ? [
              {
                at: (c.endedAt ?? NOW) + 200,
                old: null,
                new: c.estimated,
                oldSource: null,
                newSource: 'estimate',
                newStatus: 'estimated',
                reason: 'call ended; estimated from fallback rate',
                detail: null,
              },
            ]
          : []),
        ...(c.exact
          ? [
              {
                at: (c.endedAt ?? NOW) + 3_600_000,
                old: c.estimated,
                new: c.exact,
                oldSource: 'estimate',
                newSource: 'detail_record',
                newStatus: 'exact',
                reason: 'detail record arrived',
                detail: null,
              },
            ]
          : []),
      ],
      job: jobs[id % jobs.length] ?? null,
      records: c.exact ? [{ recordType: 'call-control', recordId: `cdr-${id}-a91f`, cost: c.exact, createdAt: (c.endedAt ?? NOW) + 3_500_000 }] : [],
    });
  },
  'calls.refetch': ({ id }) => {
    const c = call(id - 1);
    switch (id % 5) {
      case 0:
        return ok({
          kind: 'updated',
          old: c.estimated ?? { amount: '0.0150', currency: 'USD' },
          new: { amount: '0.0180', currency: 'USD' },
          source: 'detail_record',
        });
      case 1:
        return ok({ kind: 'unchanged', cost: c.booked });
      case 2:
        return ok({
          kind: 'not_available_yet',
          nextRetryAt: Date.now() + 120_000,
          message: 'Telnyx has no detail record for this call yet (they usually appear within an hour).',
        });
      case 3:
        return ok({ kind: 'not_billable', message: 'Telnyx reports this call as not billable (it was never answered).' });
      default:
        return ok({ kind: 'error', error: { code: 'rate_limited', message: 'Telnyx is rate limiting requests.', action: 'Wait a minute and try again.' } });
    }
  },
  'messages.list': (q) => {
    const total = MESSAGES;
    const rows: MessageRow[] = [];
    for (let k = q.offset; k < Math.min(total, q.offset + q.limit); k++) rows.push(message(q.dir === 'asc' ? total - 1 - k : k));
    return ok({ rows, total });
  },
  'import.start': ({ range, recordTypes }) => {
    if (imports.some((i) => i.status === 'running')) return fail('conflict', 'An import is already running.', 'Wait for it to finish or cancel it.');
    const p: ImportProgress = {
      importId: imports.length + 1,
      status: 'running',
      range,
      recordTypes: recordTypes as RecordType[],
      pagesDone: 0,
      pagesTotal: 20,
      records: 0,
      rejected: 0,
      startedAt: Date.now(),
      finishedAt: null,
      etaMs: null,
      error: null,
    };
    imports.unshift(p);
    const timer = setInterval(() => {
      if (p.status !== 'running') return clearInterval(timer);
      p.pagesDone++;
      p.records += 250;
      p.etaMs = (p.pagesTotal! - p.pagesDone) * 600;
      if (p.pagesDone >= p.pagesTotal!) {
        p.status = 'completed';
        p.finishedAt = Date.now();
        p.etaMs = null;
        clearInterval(timer);
      }
      emit('import.progress', { ...p });
    }, 600);
    return ok({ ...p });
  },
  'import.cancel': ({ importId }) => {
    const p = imports.find((i) => i.importId === importId);
    if (!p) return fail('not_found', 'No such import');
    p.status = 'cancelled';
    p.finishedAt = Date.now();
    p.etaMs = null;
    emit('import.progress', { ...p });
    return ok({ ...p });
  },
  'import.list': () => ok({ imports: imports.map((i) => ({ ...i })) }),
  'import.problems': () => ok({ rows: [], total: 0 }),
  'jobs.list': ({ offset, limit, status, statuses }) => {
    const all = jobs.filter((j) => (!status || j.status === status) && (!statuses || statuses.includes(j.status)));
    return ok({ rows: all.slice(offset, offset + limit), total: all.length });
  },
  'jobs.retry': ({ id }) => {
    const j = jobs.find((x) => x.id === id);
    if (!j) return fail('not_found', `No job ${id}`);
    Object.assign(j, { status: 'pending', nextRunAt: Date.now() + 1000, lastError: null });
    emit('jobs.changed', { pending: 15, failed: 2, at: Date.now() });
    return ok({ ...j });
  },
  'jobs.processNow': async () => {
    await new Promise((r) => setTimeout(r, 700));
    return ok({ processed: 14, succeeded: 9, failed: 1, retried: 3, notBillable: 1, requests: 16, at: Date.now(), nextDueAt: Date.now() + 30_000 });
  },
  'export.run': ({ report }) => ok({ savedTo: `/home/user/Documents/cost-desk-${report}.csv`, downloadUrl: null, rows: 1234, cancelled: false }),
  ...dataHandlers,
  ...statementHandlers,
  ...alertHandlers,
  // The command line's calls (no screen uses them).
  'status.summary': () => ok({ calls: [], messages: [], jobs: [], callsWithoutJob: 0, importProblems: [], unlinkedFeatureRecords: 0, numbers: [] }),
  'calls.find': ({ ref }) =>
    /^\d+$/.test(ref) && Number(ref) >= 1 && Number(ref) <= CALLS ? ok({ id: Number(ref) }) : fail('not_found', `no call with id ${ref}`),
  'import.wait': ({ importId }) => {
    const p = imports.find((i) => i.importId === importId);
    return p ? ok({ ...p }) : fail('not_found', 'No such import');
  },
};

export function createMockTransport(): RawTransport {
  console.info('[cost-desk] using the DEV mock transport');
  return {
    platform: 'mock',
    async invoke(method, input) {
      await new Promise((r) => setTimeout(r, 60 + Math.random() * 90));
      const h = handlers[method] as ((input: unknown) => unknown) | undefined;
      if (!h) return fail('invalid_input', `unknown method ${method}`);
      const i = (input ?? {}) as Record<string, unknown>;
      // Mirror the contract's defaults the core would apply.
      const withDefaults = { offset: 0, limit: 100, dir: 'desc', ...i };
      return h(method.endsWith('.list') ? withDefaults : i);
    },
    subscribe(listener) {
      listeners.add(listener);
      const t = setInterval(() => {
        sync = { ...sync, lastSyncAt: Date.now(), nextSyncAt: Date.now() + 60_000 };
        emit('sync.status', sync);
      }, 60_000);
      return () => {
        listeners.delete(listener);
        clearInterval(t);
      };
    },
  };
}
