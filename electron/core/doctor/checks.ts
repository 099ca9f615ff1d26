// The account doctor: what in a Telnyx account's setup decides whether Cost Desk can see
// costs, checked with the user's own key. Each check says ok / warning / problem, what it
// means for costs, and the fix in the Telnyx portal. Settings read (openapi/spec3.yml):
// #/components/schemas/CallControlApplication (webhook_event_url, webhook_api_version
// default "1", call_cost_in_webhooks default false), every connection from GET /connections
// (paths./connections.get, listConnections; #/components/schemas/Connection: webhook_event_url
// nullable and null by default, webhook_api_version default "1", no call-cost setting) and the
// messaging profiles' webhook_url.
// Telnyx stores a webhook delivery only when it tried to deliver one: no URL, no stored
// events to poll (detail records can still be imported).
import type { DoctorCheck, DoctorReport } from '../../../shared/contract.ts';
import { POLLED_EVENT_TYPES } from '../../../shared/domain.ts';
import type { TelnyxClient } from '../telnyx/index.ts';
import { NETWORK_ACTION, networkCauseText } from '../../../shared/network-cause.ts';
import { TelnyxError } from '../telnyx/errors.ts';

export type DoctorClient = Pick<TelnyxClient, 'verifyKey' | 'detailRecordsPage' | 'webhookDeliveriesPage' | 'listSettings' | 'serverClockOffsetMs'>;

/** Beyond this, windows computed from "now" (sync look-backs, settle windows) start to skew. */
const CLOCK_TOLERANCE_MS = 60_000;

const WEEK_MS = 7 * 86_400_000;
type Obj = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Runs every check; a failing request becomes that check's problem, never a crash of the rest. */
export async function runDoctor(client: DoctorClient, now: number): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const key = await attempt(() => client.verifyKey());
  if (!key.ok) return { ranAt: now, checks: [keyNotChecked(key.failure)], problems: 1, warnings: 0 };
  checks.push(ok('api_key', 'API key', 'Telnyx accepts the key.'));
  checks.push(clockCheck(client.serverClockOffsetMs()));
  checks.push(await recordsCheck(client, now));
  checks.push(await deliveriesCheck(client, now));
  const apps = await applicationChecks(client);
  checks.push(...apps.checks);
  checks.push(...(await connectionChecks(client, apps.ids)));
  checks.push(...(await profileChecks(client)));
  return { ranAt: now, checks, problems: checks.filter((c) => c.status === 'problem').length, warnings: checks.filter((c) => c.status === 'warning').length };
}

/**
 * Why the key could not be checked. Only Telnyx's refusal (401, 403) is about the key: a
 * connection refused, timed out or a name not found says nothing of it, and neither does a
 * server error, so those are said as what they are.
 */
function keyNotChecked(failure: TelnyxError): DoctorCheck {
  const m = failure.message;
  if (failure.kind === 'auth') return problem('api_key', 'API key', `Telnyx did not accept the key: ${m}`, 'Nothing can be read from Telnyx.', CREATE_KEY);
  if (failure.kind !== 'network' && failure.kind !== 'timeout') {
    return problem('api_key', 'API key', `The key could not be checked: ${m}`, `Nothing can be read from Telnyx right now; ${NOT_THE_KEY}.`, TRY_LATER);
  }
  const cause = networkCauseText(failure.causeCode ?? failure.kind);
  const detail = `Telnyx could not be reached (${cause}), so the key was not checked: ${m}`;
  return problem('telnyx_reachable', 'Reaching Telnyx', detail, `Nothing can be read from Telnyx until it can be reached; ${NOT_THE_KEY}.`, RECONNECT);
}
const CREATE_KEY = 'Create an API key in the Telnyx portal (Account settings > Keys & Credentials > API Keys) and enter it in Settings.';
const NOT_THE_KEY = 'this says nothing about the key';
const TRY_LATER = 'Run the check again later; if it keeps failing, the message above says what Telnyx answered.';
const RECONNECT = `${NETWORK_ACTION[0]!.toUpperCase()}${NETWORK_ACTION.slice(1)}, then run the check again.`;

/** Stored webhook events this ledger could not use, by reason (ledger.events.unusable()). */
export function unusableEventsCheck(u: { total: number; reasons: { reason: string; count: number }[] }): DoctorCheck {
  const title = 'Webhook events that could not be used';
  if (u.total === 0) return ok('unusable_events', title, 'None: every stored event so far was usable.');
  return warning(
    'unusable_events',
    title,
    `${u.total} kept but not used: ${u.reasons
      .slice(0, 5)
      .map((r) => `${r.count} × ${r.reason}`)
      .join('; ')}.`,
    'The calls and messages they describe rely on detail records for their cost.',
    null,
  );
}

/** Billed-feature records (recording, AMD, ...) whose call is not in the ledger (records.unlinkedFeatureCount). */
export function unlinkedFeaturesCheck(count: number): DoctorCheck {
  const title = 'Billed-feature records without their call';
  if (count === 0) return ok('unlinked_features', title, 'None: every recording, AMD or other feature record is part of its call.');
  return warning(
    'unlinked_features',
    title,
    `${count} records of billed call features name a call this ledger does not have; they are kept, not counted in any call.`,
    "Their calls' costs lack these parts until the calls are in the ledger.",
    'Import the date range of those calls (Import screen, or cost-desk import with its types), or let the sync bring them.',
  );
}

export function clockCheck(offsetMs: number | null): DoctorCheck {
  const title = 'Clock';
  if (offsetMs === null) return warning('clock', title, 'Telnyx sent no Date header to compare with.', 'The clock offset could not be checked.', null);
  const s = Math.round(offsetMs / 1000);
  if (Math.abs(offsetMs) <= CLOCK_TOLERANCE_MS) return ok('clock', title, `This computer's clock is within ${Math.max(1, Math.abs(s))} s of Telnyx's.`);
  return warning(
    'clock',
    title,
    `This computer's clock is ${Math.abs(s)} s ${s > 0 ? 'behind' : 'ahead of'} Telnyx's (Date header).`,
    'Time windows (what a sync looks back over, when a call counts as having no record) are computed from this clock and drift by as much.',
    "Turn on automatic time (NTP) in the operating system's date and time settings.",
  );
}

async function recordsCheck(client: DoctorClient, now: number): Promise<DoctorCheck> {
  const counts: string[] = [];
  let total = 0;
  for (const recordType of ['call-control', 'messaging'] as const) {
    const r = await attempt(() => client.detailRecordsPage({ recordType, from: now - WEEK_MS, to: now, page: 1, pageSize: 1 }));
    if (!r.ok) {
      return problem(
        'detail_records',
        'Detail records',
        `Reading ${recordType} detail records failed: ${r.error}`,
        'No exact cost can be fetched.',
        'Give the API key access to Detail Records (a key of the account owner, or a role with reporting access).',
      );
    }
    const n = r.value.meta.totalResults ?? r.value.rows.length;
    total += n;
    counts.push(`${recordType}: ${n}`);
  }
  return total > 0
    ? ok('detail_records', 'Detail records', `Readable; last 7 days (by whole UTC days) ${counts.join(', ')}.`)
    : warning(
        'detail_records',
        'Detail records',
        `Readable, but none in the last 7 days (${counts.join(', ')}).`,
        'Nothing to price yet: no calls or messages in the last week, or records not yet written.',
        null,
      );
}

async function deliveriesCheck(client: DoctorClient, now: number): Promise<DoctorCheck> {
  const r = await attempt(() =>
    client.webhookDeliveriesPage({ eventTypes: POLLED_EVENT_TYPES, startedGte: now - WEEK_MS, startedLte: now, page: 1, pageSize: 1 }),
  );
  if (!r.ok) {
    return problem(
      'webhook_deliveries',
      'Stored webhook events',
      `Reading webhook deliveries failed: ${r.error}`,
      'Calls are not seen as they end; only a date-range import of detail records finds them.',
      'Give the API key access to webhook deliveries (Debugging > Webhooks in the portal).',
    );
  }
  const n = r.value.meta.totalResults ?? r.value.rows.length;
  return n > 0
    ? ok('webhook_deliveries', 'Stored webhook events', `Readable; ${n} stored in the last 7 days.`)
    : warning(
        'webhook_deliveries',
        'Stored webhook events',
        'Readable, but none stored in the last 7 days.',
        'No call is seen as it ends (no estimate at hangup, no call.cost). Detail records can still be imported.',
        'Set a webhook URL on your Call Control applications and messaging profiles: Telnyx stores a delivery only when it tried to send one.',
      );
}

async function applicationChecks(client: DoctorClient): Promise<{ checks: DoctorCheck[]; ids: Set<string> }> {
  const r = await attempt(() => client.listSettings('/call_control_applications'));
  if (!r.ok)
    return {
      checks: [
        warning(
          'call_control_applications',
          'Call Control applications',
          `Could not list them: ${r.error}`,
          'Their webhook settings could not be checked.',
          null,
        ),
      ],
      ids: new Set(),
    };
  const ids = new Set(r.value.map((app) => text(app.id)));
  if (r.value.length === 0) return { checks: [ok('call_control_applications', 'Call Control applications', 'None in this account.')], ids };
  return { checks: r.value.map((app) => applicationCheck(app)), ids };
}

/**
 * GET /connections lists every connection "irrespective of type" (SIP connections, Call Control
 * and other applications): which exist, then each one not already checked as a Call Control
 * application, for whether its webhooks let Cost Desk see its calls.
 */
async function connectionChecks(client: DoctorClient, checkedApps: Set<string>): Promise<DoctorCheck[]> {
  const r = await attempt(() => client.listSettings('/connections'));
  if (!r.ok) return [warning('connections', 'Connections', `Could not list them: ${r.error}`, 'Their webhook settings could not be checked.', null)];
  const named = (c: Obj) => `"${text(c.connection_name) || text(c.id)}" (${text(c.record_type) || 'connection'})`;
  const summary = ok(
    'connections',
    'Connections',
    r.value.length === 0
      ? 'None in this account.'
      : `${r.value.length} in this account: ${r.value.map(named).join(', ')}${r.value.some((c) => checkedApps.has(text(c.id))) ? '; the Call Control applications among them are checked above' : ''}.`,
  );
  return [summary, ...r.value.filter((c) => !checkedApps.has(text(c.id))).map((c) => connectionCheck(c))];
}

// Telnyx stores a webhook delivery only when it tried to send one: without a URL, nothing to poll.
const CONNECTION_UNSEEN =
  'Telnyx stores no webhook deliveries for calls on it: they are not seen as they end (no estimate at hangup) and appear, with their exact cost, only through a date-range import of detail records.';
const APPLICATION_UNSEEN =
  'Telnyx stores no webhook deliveries for it: its calls are not seen as they end and get no call.cost; they appear only through a date-range import.';
/** The fix for a missing webhook URL, at `where` in the portal. */
const setWebhookUrl = (where: string) => `${where}: set "Webhook URL" (any https URL you own; a failing URL still leaves stored deliveries).`;

/** One connection (#/components/schemas/Connection): a webhook URL and its API version. */
export function connectionCheck(c: Obj): DoctorCheck {
  const name = text(c.connection_name) || text(c.id);
  const type = text(c.record_type) || 'connection';
  const id = `connection:${text(c.id)}`;
  const title = `Connection "${name}" (${type})`;
  const where = type.endsWith('_connection') ? `Portal > Voice > SIP Trunking > ${name}` : `Portal > ${name}`;
  if (c.active === false) return ok(id, title, 'Inactive: it carries no calls.');
  if (!text(c.webhook_event_url)) return warning(id, title, 'No webhook URL is set (the default).', CONNECTION_UNSEEN, setWebhookUrl(where));
  const version = text(c.webhook_api_version) || '1';
  if (version === '1') {
    return warning(
      id,
      title,
      'Webhook URL set; webhook API v1 (the default): its events are read by their v1 names.',
      'Its calls are seen as they end; v2 is the current format.',
      `${where}: set "Webhook API version" to API v2.`,
    );
  }
  // The Connection schema has no call-cost setting: a call on it is priced from detail records.
  return ok(id, title, 'Webhook URL set, API v2: its calls are seen as they end; their exact cost comes from detail records.');
}

/** One application: a webhook URL, its API version, and whether it sends call.cost. */
export function applicationCheck(app: Obj): DoctorCheck {
  const name = text(app.application_name) || text(app.id);
  const id = `call_control_application:${text(app.id)}`;
  const title = `Call Control application "${name}"`;
  const where = `Portal > Voice > Programmable Voice > ${name}`;
  if (!text(app.webhook_event_url)) return problem(id, title, 'No webhook URL is set.', APPLICATION_UNSEEN, setWebhookUrl(where));
  const notes: string[] = [];
  const version = text(app.webhook_api_version) || '1';
  if (version === '1') notes.push('webhook API v1 (the default): its events are read by their v1 names');
  const callCost = app.call_cost_in_webhooks === true;
  if (!callCost) notes.push('call cost in webhooks is off (the default): no call.cost events, so exact costs wait for detail records');
  if (notes.length === 0) return ok(id, title, 'Webhook URL set, API v2, call cost in webhooks on.');
  return warning(
    id,
    title,
    `Webhook URL set; ${notes.join('; ')}.`,
    callCost
      ? 'Costs are read; v2 is the current format.'
      : 'Exact costs arrive later (from detail records), and parts only call.cost lists (a recording) are not seen until their records are.',
    `${where}: ${[callCost ? null : 'turn on "Enable call cost"', version === '1' ? 'set "Webhook API version" to API v2' : null].filter(Boolean).join(', ')}.`,
  );
}

async function profileChecks(client: DoctorClient): Promise<DoctorCheck[]> {
  const r = await attempt(() => client.listSettings('/messaging_profiles'));
  if (!r.ok)
    return [warning('messaging_profiles', 'Messaging profiles', `Could not list them: ${r.error}`, 'Their webhook settings could not be checked.', null)];
  if (r.value.length === 0) return [ok('messaging_profiles', 'Messaging profiles', 'None in this account.')];
  return r.value.map((p) => {
    const name = text(p.name) || text(p.id);
    const id = `messaging_profile:${text(p.id)}`;
    const title = `Messaging profile "${name}"`;
    if (text(p.webhook_url)) return ok(id, title, 'Webhook URL set.');
    return warning(
      id,
      title,
      'No webhook URL is set.',
      'No message.finalized events: message costs come only from message detail records, later.',
      `Portal > Messaging > ${name}: set "Webhook URL".`,
    );
  });
}

function ok(id: string, title: string, detail: string): DoctorCheck {
  return { id, title, status: 'ok', detail, meaning: null, fix: null };
}
function warning(id: string, title: string, detail: string, meaning: string, fix: string | null): DoctorCheck {
  return { id, title, status: 'warning', detail, meaning, fix };
}
function problem(id: string, title: string, detail: string, meaning: string, fix: string): DoctorCheck {
  return { id, title, status: 'problem', detail, meaning, fix };
}

async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string; failure: TelnyxError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof TelnyxError) return { ok: false, error: err.message, failure: err };
    throw err;
  }
}
