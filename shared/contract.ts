// The one contract between the renderer and the core. Every call the renderer can make and
// every event the core can push is declared here once, with zod schemas for both directions.
// Hosts (Electron IPC, the browser host's HTTP, tests) validate every input against it
// before it reaches the core, and every output before it leaves; the renderer's client is
// typed from it. A new feature starts as a line here.
import { z } from 'zod';
import { CallBadge, CostSource, Direction, ImportStatus, JobStatus, MessageCostStatus, MoneyValue, RecordType } from './domain.ts';
import { TOPICS } from './access.ts';
import { ERROR_CODES } from './errors.ts';
import { AlertFiring, AlertRule, AlertRuleInput, AlertsList, AlertsQuery } from './alerts.ts';
import {
  AbsolutePath,
  BackupOutcome,
  BackupRequest,
  BackupSettings,
  DataStatus,
  MoveDataOutcome,
  MoveDataRequest,
  OpenFolderOutcome,
  RestoreOutcome,
  RestoreRequest,
  StatementExportOutcome,
  StatementExportRequest,
  StatementQuery,
  StatementView,
} from './data.ts';

// ---------- shared pieces ----------

/** Epoch milliseconds. Dates cross the contract as numbers; the renderer formats them. */
const Ms = z.number().int().min(0).max(8.64e15);
const Phone = z.string().min(3).max(32);
const Id = z.number().int().positive();

export const DateRange = z.object({ from: Ms, to: Ms }).refine((r) => r.from < r.to, { message: 'the start of the range must be before its end' });
export type DateRange = z.infer<typeof DateRange>;

export const SortDir = z.enum(['asc', 'desc']);

export const Paging = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** What the user can do about it, when there is something. */
  action: z.string().optional(),
  /** invalid_input: each rule the input broke, by field path, so a form can mark the field. */
  issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
});
export type AppError = z.infer<typeof AppError>;

export function resultOf<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: AppError })]);
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

// ---------- domain views ----------

export const Mode = z.enum(['unconfigured', 'live', 'demo']);
export type Mode = z.infer<typeof Mode>;

/** Which host runs the core: the desktop app, the browser host, the command line, a test. */
export const HostKind = z.enum(['electron', 'web', 'cli', 'test']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  version: z.string(),
  host: HostKind,
  mode: Mode,
  dataDir: z.string(),
  ledgerFile: z.string(),
  nodeVersion: z.string(),
});

/** A whole number in [min, max], with one message for every way to miss it (what a form shows). */
const intIn = (min: number, max: number, message: string) => z.number({ error: message }).int(message).min(min, message).max(max, message);
const DECIMAL = /^\d+(\.\d+)?$/;

export const RetrySchedule = z
  .array(intIn(1000, 24 * 3600_000, 'Each delay from 1 second to 24 hours'))
  .min(1, 'At least one delay, e.g. "30s, 2m, 10m"')
  .max(20, 'At most 20 delays');

const Currency = z.string().regex(/^[A-Z]{3}$/, 'A three-letter currency code, e.g. USD');
/** A fallback rate pair in one currency (issue 13: an estimate is in its number's currency). */
export const FallbackRate = z.object({
  currency: Currency,
  inboundPerMinute: z.string().regex(DECIMAL, 'A decimal amount per minute, e.g. 0.0035'),
  outboundPerMinute: z.string().regex(DECIMAL, 'A decimal amount per minute, e.g. 0.0070'),
});
export type FallbackRate = z.infer<typeof FallbackRate>;

export const RateSettings = z.object({
  /** Decimal string per minute, as Telnyx quotes rates. */
  inboundPerMinute: z.string().regex(DECIMAL, 'A decimal amount per minute, e.g. 0.0035'),
  outboundPerMinute: z.string().regex(DECIMAL, 'A decimal amount per minute, e.g. 0.0070'),
  currency: Currency,
  /** Fallback rates for numbers billed in another currency (known from their exact costs). */
  otherCurrencies: z.array(FallbackRate).max(50).default([]),
  /** A number's own fallback rates and currency, before any exact cost says otherwise. */
  numbers: z
    .array(FallbackRate.extend({ number: z.string().regex(/^\+\d{6,15}$/, 'A number in E.164, e.g. +4915112345678') }))
    .max(500)
    .default([]),
  /** Billing increments in seconds: first, then each next (60/60, 6/6, 1/1). */
  firstIncrementSec: intIn(1, 3600, 'Whole seconds, 1–3600'),
  nextIncrementSec: intIn(1, 3600, 'Whole seconds, 1–3600'),
  minimumSec: intIn(0, 3600, 'Whole seconds, 0–3600'),
  /** Use a rate learned from recent exact costs of the same number and direction. */
  learnRates: z.boolean(),
});
export type RateSettings = z.infer<typeof RateSettings>;

export const KeyStorage = z.enum(['os-keychain', 'basic-text', 'host-encrypted', 'none']);

export const SettingsView = z.object({
  apiKeySet: z.boolean(),
  /** "…4f2a": the last four characters, never more. */
  apiKeyHint: z.string().nullable(),
  keyStorage: KeyStorage,
  /** Shown when the key is stored weakly (Linux basic_text backend). */
  keyStorageWarning: z.string().nullable(),
  apiBaseUrl: z.string().url(),
  rates: RateSettings,
  pollingEnabled: z.boolean(),
  pollingIntervalSec: z.number().int().min(5).max(86400),
  retryScheduleMs: RetrySchedule,
  settleWindowMs: z.number().int().min(60_000),
  /** Imports of ranges at least this many days long read Telnyx's batch reports first; 0: never. */
  reportImportMinDays: z.number().int().min(0).optional(),
  dataDir: z.string(),
  /** Only in settings.setApiKey's answer: how Telnyx answered the key before it was saved. */
  keyCheck: z.object({ verified: z.boolean(), message: z.string() }).optional(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SettingsPatch = z
  .object({
    apiBaseUrl: z
      .string()
      .url('Enter an http(s) URL, e.g. https://api.telnyx.com/v2')
      .refine((u) => /^https?:\/\//.test(u), 'Enter an http(s) URL, e.g. https://api.telnyx.com/v2'),
    rates: RateSettings.partial(),
    pollingEnabled: z.boolean(),
    pollingIntervalSec: intIn(5, 86400, 'Whole seconds, 5–86400'),
    retryScheduleMs: RetrySchedule,
    settleWindowMs: intIn(60_000, 30 * 86400_000, 'Minutes, from 1 up to 30 days'),
    reportImportMinDays: intIn(0, 366, 'Whole days, 0 (never) up to 366'),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const SyncStatus = z.object({
  mode: Mode,
  pollingEnabled: z.boolean(),
  running: z.boolean(),
  lastSyncAt: Ms.nullable(),
  nextSyncAt: Ms.nullable(),
  lastError: AppError.nullable(),
  fetcherPaused: z.boolean(),
  fetcherPauseReason: z.string().nullable(),
  pendingJobs: z.number().int(),
  failedJobs: z.number().int(),
  /** Stored webhook events that could not be used, kept and counted by reason (never dropped in silence). */
  unusableEvents: z.object({
    total: z.number().int(),
    reasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  }),
  /** Billed-feature records (recording, AMD, ...) naming a call the ledger does not have yet: kept and counted. */
  unlinkedFeatureRecords: z.number().int(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const NumberSummary = z.object({
  number: z.string(),
  currency: z.string(),
  calls: z.number().int(),
  minutes: z.string(), // billed minutes, decimal
  messages: z.number().int(),
  estimatedTotal: MoneyValue, // what the estimates alone would have booked
  exactTotal: MoneyValue, // sum of exact costs known
  bookedTotal: MoneyValue, // exact where known, else estimate
  variance: MoneyValue.nullable(), // exact - estimate, over calls that have both in one currency; null: none has
  variancePct: z.string().nullable(), // "12.5" (percent, 1 decimal) or null when no base
  messagesTotal: MoneyValue,
  pendingCalls: z.number().int(),
  failedCalls: z.number().int(),
  exactCalls: z.number().int(),
});
export type NumberSummary = z.infer<typeof NumberSummary>;

export const SummaryQuery = z.object({
  range: DateRange,
  numbers: z.array(Phone).max(200).optional(),
});

/** What the overview can group its totals by (overview.groups). */
export const GroupBy = z.enum(['number', 'billingGroup', 'tag', 'connection', 'direction', 'country', 'kind']);
export type GroupBy = z.infer<typeof GroupBy>;

/** One group's totals in one currency; a group with costs in two currencies is two rows. */
export const GroupSummary = NumberSummary.omit({ number: true }).extend({
  /** The group's value (a number, a billing group id, a tag, "inbound", "voice-outbound", ...); null: calls and messages without one. */
  key: z.string().nullable(),
  /** The value in people's words ("No tag", "Voice, outbound", a billing group's name). */
  label: z.string(),
  /** Calls booked plus messages' cost, in this currency. */
  total: MoneyValue,
});
export type GroupSummary = z.infer<typeof GroupSummary>;

export const GroupsQuery = z.object({
  range: DateRange,
  by: GroupBy,
  numbers: z.array(Phone).max(200).optional(),
});

export const DailyPoint = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency: z.string(),
  estimated: z.string(),
  exact: z.string(),
  booked: z.string(),
});
export type DailyPoint = z.infer<typeof DailyPoint>;

export const CallRow = z.object({
  id: Id,
  callLegId: z.string().nullable(),
  callSessionId: z.string().nullable(),
  callControlId: z.string().nullable(),
  ourNumber: z.string(),
  otherNumber: z.string(),
  direction: Direction,
  startedAt: Ms.nullable(),
  endedAt: Ms.nullable(),
  callSec: z.number().int().nullable(),
  billedSec: z.number().int().nullable(),
  estimated: MoneyValue.nullable(),
  exact: MoneyValue.nullable(),
  booked: MoneyValue.nullable(),
  badge: CallBadge,
  costSource: CostSource.nullable(),
  estimateMethod: z.string().nullable(),
});
export type CallRow = z.infer<typeof CallRow>;

export const CallSort = z.enum(['startedAt', 'ourNumber', 'otherNumber', 'billedSec', 'booked', 'exact', 'estimated']);

/** Cost attribution filters (what Telnyx sends for splitting costs); each matches exactly. */
const AttributionText = z.string().trim().min(1).max(200);
export const CallAttributionFilter = z.object({
  /** A billing group's id or name. */
  billingGroup: AttributionText.optional(),
  /** A connection's id or name. */
  connection: AttributionText.optional(),
  tag: AttributionText.optional(),
  /** country_code as Telnyx sent it. */
  country: AttributionText.optional(),
});
export const MessageAttributionFilter = z.object({
  /** A messaging profile's id or name. */
  profile: AttributionText.optional(),
  tag: AttributionText.optional(),
  country: AttributionText.optional(),
});

export const CallsQuery = Paging.extend({
  ...CallAttributionFilter.shape,
  range: DateRange.optional(),
  number: Phone.optional(),
  /** Matches any Telnyx id exactly, a phone number by its start ("+1555…"), or digits anywhere in a number ("2060003"). */
  search: z.string().max(100).optional(),
  badge: CallBadge.optional(),
  sort: CallSort.default('startedAt'),
  dir: SortDir.default('desc'),
});
export type CallsQuery = z.input<typeof CallsQuery>;

export const HistoryEntry = z.object({
  at: Ms,
  old: MoneyValue.nullable(),
  new: MoneyValue.nullable(),
  oldSource: z.string().nullable(),
  newSource: z.string(),
  newStatus: z.string(),
  reason: z.string(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const JobView = z.object({
  id: Id,
  kind: z.enum(['call_cost', 'message_cost']),
  subject: z.string(), // call id or message id, for display
  callId: Id.nullable(),
  messageId: z.string().nullable(),
  ourNumber: z.string().nullable(),
  status: JobStatus,
  attempts: z.number().int(),
  nextRunAt: Ms.nullable(),
  lastError: z.string().nullable(),
  updatedAt: Ms,
  completedAt: Ms.nullable(),
  /** What the call or message is booked at now (its estimate until the exact cost comes). */
  amount: MoneyValue.nullable(),
});
export type JobView = z.infer<typeof JobView>;

export const CallDetail = z.object({
  call: CallRow.extend({
    answeredAt: Ms.nullable(),
    hangupCause: z.string().nullable(),
    rate: z.string().nullable(),
    estimateRate: z.string().nullable(),
    connectionId: z.string().nullable(),
    connectionName: z.string().nullable(),
    billingGroupId: z.string().nullable(),
    billingGroupName: z.string().nullable(),
    tags: z.array(z.string()),
    countryCode: z.string().nullable(),
    /** Parts known to belong to the call whose cost is not in yet (badge "partial"). */
    missingParts: z.array(z.string()),
  }),
  history: z.array(HistoryEntry),
  job: JobView.nullable(),
  records: z.array(z.object({ recordType: z.string(), recordId: z.string(), cost: MoneyValue.nullable(), createdAt: Ms.nullable() })),
});
export type CallDetail = z.infer<typeof CallDetail>;

export const RefetchOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('updated'), old: MoneyValue.nullable(), new: MoneyValue, source: CostSource }),
  z.object({ kind: z.literal('unchanged'), cost: MoneyValue.nullable() }),
  z.object({ kind: z.literal('not_available_yet'), nextRetryAt: Ms.nullable(), message: z.string() }),
  z.object({ kind: z.literal('not_billable'), message: z.string() }),
  z.object({ kind: z.literal('error'), error: AppError }),
]);
export type RefetchOutcome = z.infer<typeof RefetchOutcome>;

export const MessageRow = z.object({
  id: z.string(),
  ourNumber: z.string(),
  otherNumber: z.string(),
  direction: Direction,
  messageType: z.string().nullable(),
  parts: z.number().int().nullable(),
  status: z.string().nullable(),
  sentAt: Ms.nullable(),
  /** Total booked: rate x parts + carrier fee (the fee counted once). */
  cost: MoneyValue.nullable(),
  carrierFee: MoneyValue.nullable(),
  /** Telnyx's per-part rate as it sent it (a decimal string, in the message's currency). */
  rate: z.string().nullable(),
  costStatus: z.string(),
  costSource: z.string().nullable(),
});
export type MessageRow = z.infer<typeof MessageRow>;

export const MessagesQuery = Paging.extend({
  ...MessageAttributionFilter.shape,
  range: DateRange.optional(),
  number: Phone.optional(),
  search: z.string().max(100).optional(),
  /** Where the message's cost stands (the Messages screen's status filter). */
  costStatus: MessageCostStatus.optional(),
  sort: z.enum(['sentAt', 'ourNumber', 'cost']).default('sentAt'),
  dir: SortDir.default('desc'),
});

export const ImportProgress = z.object({
  importId: Id,
  status: ImportStatus,
  range: z.object({ from: Ms, to: Ms }),
  recordTypes: z.array(RecordType),
  pagesDone: z.number().int(),
  pagesTotal: z.number().int().nullable(),
  records: z.number().int(),
  rejected: z.number().int(),
  startedAt: Ms,
  finishedAt: Ms.nullable(),
  etaMs: z.number().int().nullable(),
  error: z.string().nullable(),
  /**
   * Batch detail-record reports of this import, one per record type asked that way: requested,
   * preparing (Telnyx builds it), downloading (bytes), ingesting (rows), done, or fallback (its
   * window is read page by page; `note` says why). Absent when the import used none.
   */
  reports: z
    .array(
      z.object({
        recordType: RecordType,
        phase: z.enum(['requested', 'preparing', 'downloading', 'ingesting', 'done', 'fallback']),
        range: z.object({ from: Ms, to: Ms }),
        bytes: z.number().int(),
        totalBytes: z.number().int().nullable(),
        rows: z.number().int(),
        note: z.string().nullable(),
      }),
    )
    .optional(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

export const ImportProblemView = z.object({
  importId: Id,
  recordType: RecordType,
  page: z.number().int(),
  index: z.number().int(),
  reason: z.string(),
  /** The row as received (JSON text, cut to 2,000 characters). */
  raw: z.string(),
  seenAt: Ms,
});
export type ImportProblemView = z.infer<typeof ImportProblemView>;

export const ProcessCounts = z.object({
  processed: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  retried: z.number().int(),
  notBillable: z.number().int(),
  requests: z.number().int(),
  at: Ms,
  /** When the next waiting job is due after this pass (null: nothing waits). */
  nextDueAt: Ms.nullable(),
});
export type ProcessCounts = z.infer<typeof ProcessCounts>;

export const ReportKind = z.enum(['calls', 'messages', 'summary', 'history']);
export type ReportKind = z.infer<typeof ReportKind>;

/**
 * An IANA time zone name this runtime knows ("Europe/Berlin", "America/New_York", "UTC").
 * Offsets ("+01:00") and abbreviations are refused: a zone name carries its daylight-saving rules.
 */
export const TimeZone = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, 'a time zone is an IANA name such as "Europe/Berlin" or "UTC"')
  .refine(isKnownTimeZone, { message: 'not a time zone name this app knows (IANA, such as "Europe/Berlin" or "UTC")' });

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const ExportRequest = z.object({
  report: ReportKind,
  range: DateRange,
  number: Phone.optional(),
  /** Calls report: billingGroup, connection, tag, country. Messages report: profile, tag, country. */
  billingGroup: AttributionText.optional(),
  connection: AttributionText.optional(),
  profile: AttributionText.optional(),
  tag: AttributionText.optional(),
  country: AttributionText.optional(),
  /** Where the core writes the report (a file it replaces when complete); hosts that pick the place themselves leave it out. */
  out: AbsolutePath.optional(),
  /**
   * The zone the report's times are written in: ISO 8601 with that zone's offset at each
   * moment ("2026-03-08T03:00:00.000-04:00"); "UTC" writes "...Z". Absent: the zone of the
   * machine running the core (the user's).
   */
  timeZone: TimeZone.optional(),
  /** Calls, messages and summary reports end with one "Total" row per currency (default true). */
  totals: z.boolean().optional(),
  /** History report: the range and order are by when the cost changed (default), or by when its call started / message was sent. */
  historyBy: z.enum(['change', 'call']).optional(),
});
export type ExportRequest = z.infer<typeof ExportRequest>;

/** One currency of a written report: its data rows and their booked total (exact decimal). */
export const ExportCurrencyTotal = z.object({
  currency: z.string(),
  /** Data rows in this currency (a call counts in its booked currency, a message in its cost's). */
  rows: z.number().int(),
  /** Booked total: calls' booked costs (summary: the numbers' booked totals), messages' costs. */
  booked: z.string(),
});
export type ExportCurrencyTotal = z.infer<typeof ExportCurrencyTotal>;

export const ExportOutcome = z.object({
  /** Desktop: where the file was saved. Browser host: a one-time download URL. */
  savedTo: z.string().nullable(),
  downloadUrl: z.string().nullable(),
  rows: z.number().int().nullable(),
  cancelled: z.boolean(),
  /** The time zone the times were written in (resolved IANA name), once the report is written. */
  timeZone: z.string().optional(),
  /** Per currency, once the report is written (empty for the history report: changes do not add up). */
  totals: z.array(ExportCurrencyTotal).optional(),
});

/** One check of the account doctor (electron/core/doctor/checks.ts). */
export const DoctorCheck = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['ok', 'warning', 'problem']),
  /** What was found. */
  detail: z.string(),
  /** What it means for costs (null when ok). */
  meaning: z.string().nullable(),
  /** The exact fix in the Telnyx portal, when there is one. */
  fix: z.string().nullable(),
});
export type DoctorCheck = z.infer<typeof DoctorCheck>;

export const DoctorReport = z.object({
  ranAt: Ms,
  checks: z.array(DoctorCheck),
  problems: z.number().int(),
  warnings: z.number().int(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

/** "Check against Telnyx" for one month (electron/core/verify/month.ts). */
export const VerifyReport = z.object({
  month: z.string(),
  from: Ms,
  to: Ms,
  rows: z.array(
    z.object({
      product: z.string(),
      currency: z.string(),
      /** Exact decimal amounts: the ledger's total, Telnyx's (cost + carrier fees), ledger minus Telnyx. */
      ledger: z.string(),
      telnyx: z.string(),
      difference: z.string(),
      matches: z.boolean(),
    }),
  ),
  matches: z.boolean(),
  /** What in the ledger can explain a difference. */
  explain: z.object({
    callsEstimated: z.number().int(),
    callsNoRecord: z.number().int(),
    callsOpen: z.number().int(),
    callsPartial: z.number().int(),
    messagesWithoutCost: z.number().int(),
  }),
  /** The comparison as CSV text (the reports' writer), when the input asked for it. */
  csv: z.string().optional(),
});
export type VerifyReport = z.infer<typeof VerifyReport>;
export const VerifyMonthInput = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM'),
    /** Also answer the comparison as CSV (VerifyReport.csv). */
    csv: z.boolean().optional(),
  })
  .strict();

/** The ledger at a glance (`cost-desk status`; electron/core/views/status.ts). */
const StatusCount = z.object({ status: z.string(), n: z.number().int() });
export const StatusSummary = z.object({
  calls: z.array(StatusCount),
  messages: z.array(StatusCount),
  jobs: z.array(StatusCount),
  /** Ended calls without an exact cost and without a job to fetch one. */
  callsWithoutJob: z.number().int(),
  /** Imports with rows they could not read after retries. */
  importProblems: z.array(z.object({ importId: Id, status: ImportStatus, rows: z.number().int() })),
  /** Billed-feature records (recording, AMD, ...) whose call the ledger does not have yet. */
  unlinkedFeatureRecords: z.number().int(),
  numbers: z.array(
    z.object({
      number: z.string(),
      currency: z.string().nullable(),
      calls: z.number().int(),
      exact: z.number().int(),
      estimated: z.number().int(),
      /** Exact decimal text of the booked total (no currency). */
      booked: z.string().nullable(),
    }),
  ),
});
export type StatusSummary = z.infer<typeof StatusSummary>;

// ---------- the calls ----------

const Empty = z.object({}).strict();

function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output: resultOf(output) };
}

export const contract = {
  'app.info': call(Empty, AppInfo),
  'settings.get': call(Empty, SettingsView),
  'doctor.run': call(Empty, DoctorReport),
  'verify.month': call(VerifyMonthInput, VerifyReport),
  'settings.update': call(SettingsPatch, SettingsView),
  /** The key travels renderer -> host once; it never comes back. */
  'settings.setApiKey': call(z.object({ apiKey: z.string().trim().min(10).max(200) }).strict(), SettingsView),
  'settings.clearApiKey': call(Empty, SettingsView),
  'demo.start': call(Empty, AppInfo),
  'demo.stop': call(Empty, AppInfo),
  'sync.status': call(Empty, SyncStatus),
  'sync.now': call(
    Empty,
    z.object({
      events: z.number().int(),
      newEvents: z.number().int(),
      /** Events applied to calls and messages, and those waiting for what they refer to. */
      applied: z.number().int(),
      waiting: z.number().int(),
      /** Deliveries unreadable after retries: the sync cursor stays before them. */
      rejected: z.number().int(),
    }),
  ),
  'overview.summary': call(SummaryQuery, z.object({ rows: z.array(NumberSummary) })),
  'overview.daily': call(z.object({ range: DateRange, number: Phone.optional() }), z.object({ points: z.array(DailyPoint) })),
  /** The overview's totals by number, billing group, tag, connection, direction, country or kind. */
  'overview.groups': call(GroupsQuery, z.object({ rows: z.array(GroupSummary) })),
  'numbers.list': call(Empty, z.object({ numbers: z.array(z.string()) })),
  'calls.list': call(CallsQuery, z.object({ rows: z.array(CallRow), total: z.number().int() })),
  'calls.get': call(z.object({ id: Id }).strict(), CallDetail),
  'calls.refetch': call(z.object({ id: Id }).strict(), RefetchOutcome),
  'messages.list': call(MessagesQuery, z.object({ rows: z.array(MessageRow), total: z.number().int() })),
  'import.start': call(z.object({ range: DateRange, recordTypes: z.array(RecordType).min(1) }).strict(), ImportProgress),
  'import.cancel': call(z.object({ importId: Id }).strict(), ImportProgress),
  'import.list': call(Empty, z.object({ imports: z.array(ImportProgress) })),
  /** Rows imports could not read after retries: kept as received, shown with the jobs. */
  'import.problems': call(Paging.extend({ importId: Id.optional() }), z.object({ rows: z.array(ImportProblemView), total: z.number().int() })),
  'jobs.list': call(
    // `statuses`: any of them ("pending or failed", the status line's link); with `status`, both must hold.
    Paging.extend({ status: JobStatus.optional(), statuses: z.array(JobStatus).min(1).max(6).optional() }),
    z.object({ rows: z.array(JobView), total: z.number().int() }),
  ),
  'jobs.retry': call(z.object({ id: Id }).strict(), JobView),
  'jobs.processNow': call(Empty, ProcessCounts),
  'export.run': call(ExportRequest, ExportOutcome),
  // The user's data (shared/data.ts): backups, restore, the data folder.
  'data.status': call(Empty, DataStatus),
  'data.backup': call(BackupRequest, BackupOutcome),
  'data.restore': call(RestoreRequest, RestoreOutcome),
  'data.setBackupSettings': call(BackupSettings, DataStatus),
  /** Hosts that can (Electron) open the folder in the file manager; others answer opened: false. */
  'data.openFolder': call(Empty, OpenFolderOutcome),
  /** Copies the ledgers and backups to a new folder, checks them, then uses it (the old copy is kept). */
  'data.move': call(MoveDataRequest, MoveDataOutcome),
  /** A monthly statement's figures; .xlsx or .pdf written to `out` or the statements folder. */
  'statements.get': call(StatementQuery, StatementView),
  'statements.export': call(StatementExportRequest, StatementExportOutcome),
  // Spend alerts (shared/alerts.ts): firings evaluated as costs land, and their rules.
  'alerts.list': call(AlertsQuery, AlertsList),
  'alerts.acknowledge': call(z.object({ id: Id }).strict(), AlertFiring),
  'alerts.rules': call(Empty, z.object({ rules: z.array(AlertRule) })),
  'alerts.addRule': call(AlertRuleInput, AlertRule),
  'alerts.removeRule': call(z.object({ id: Id }).strict(), z.object({ removed: Id })),
  // What the command line needs beyond the screens (electron/cli/ is only a host of these).
  'status.summary': call(Empty, StatusSummary),
  /** A call by its local id or any Telnyx id (leg, session, call_control_id). */
  'calls.find': call(z.object({ ref: z.string().trim().min(1).max(200) }).strict(), z.object({ id: Id })),
  /** Waits until an import this process runs ends; its last progress (a failed run: its error). */
  'import.wait': call(z.object({ importId: Id }).strict(), ImportProgress),
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>;
export type Output<M extends Method> = Extract<z.output<Contract[M]['output']>, { ok: true }>['value'];
export const METHODS = Object.keys(contract) as Method[];

// ---------- events, core -> renderer ----------

export const events = {
  'sync.status': SyncStatus,
  'import.progress': ImportProgress,
  'jobs.changed': z.object({ pending: z.number().int(), failed: z.number().int(), at: Ms }),
  /** Topics some write changed (declared per method in access.ts; background work alike). */
  'ledger.changed': z.object({ at: Ms, topics: z.array(z.enum(TOPICS)).min(1) }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
