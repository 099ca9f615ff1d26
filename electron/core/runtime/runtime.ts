// The running core: the current session, the polling loop, running imports, and the events
// they emit. Loops sleep on the injected clock and keep no state that a crash could lose:
// cursors, jobs and import pages are all in the ledger.
import { comparisonEstimator } from '../costs/comparison.ts';
import type { Topic } from '../../../shared/access.ts';
import type { AppError, HostKind, ImportProgress, SyncStatus } from '../../../shared/contract.ts';
import type { RecordType } from '../../../shared/domain.ts';
import type { EventBus } from '../api/types.ts';
import { AppFailure, noKeyFailure } from '../api/types.ts';
import { releaseDeadImports, runImport, validateRange, type RecordPageSource } from '../ingest/importer.ts';
import { APP_WRITER_LIMITS, startImportWriter } from '../ingest/write-worker.ts';
import { newOwner } from '../util/owner.ts';
import { pollOnce, type PollResult } from '../ingest/poller.ts';
import { clientDeliverySource, clientRecordSource } from '../ingest/sources.ts';
import { APP_FETCHER_LIMITS, workerRecordSource } from '../ingest/fetch-worker.ts';
import { reportSettings, reportViews, type ReportSettings } from '../ingest/report-import/index.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { readAppState, writeAppState } from './app-state.ts';
import { readOnlyLedger } from '../ledger/open.ts';
import { toAppError, toAppFailure } from './errors.ts';
import type { SecretStore } from './secret-store.ts';
import { openSession, type Session, type SessionMode } from './session.ts';
import type { TransportFactory } from '../telnyx/transport.ts';

export interface RuntimeOptions {
  /** The data folder in use; a move (data-folder/move.ts) changes it. */
  dataDir: string;
  /** The folder the host named (beside it, the pointer to a moved data folder); default dataDir. */
  homeDir?: string;
  secrets: SecretStore;
  host: HostKind;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  autoStart: boolean;
  demoCalls?: number;
  telnyxTransport?: TransportFactory | undefined;
  /** TELNYX_API_BASE_URL: overrides the stored setting (checked by createCore). */
  apiBaseUrl?: string;
  /** Open the demo account (true) or the user's own (false); unset: whichever was used last. */
  demo?: boolean;
}

export class CoreRuntime {
  /** host:pid:random, so a process that died is known at once (util/owner.ts). */
  readonly owner = newOwner();
  #session: Session | null = null;
  #loop: AbortController | null = null;
  #lastPollError: AppError | null = null;
  #nextSyncAt: number | null = null;
  #polling = false;
  readonly #imports = new Map<number, AbortController>();
  /** Imports this process runs, until they end: what import.wait waits for. */
  readonly #runs = new Map<number, Promise<ImportProgress>>();
  /** Why the stored key could not be read (a damaged or tampered file), or null. */
  keyProblem: AppFailure | null = null;

  constructor(readonly o: RuntimeOptions) {}

  async start(): Promise<void> {
    // A key file that cannot be read is not "no key": keep what is wrong, and where, to say it.
    const key = await this.o.secrets.get().catch((err: unknown) => {
      this.keyProblem =
        err instanceof AppFailure ? err : new AppFailure('internal', `the stored API key cannot be read: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    const lastDemo = () => this.o.demo === undefined && readAppState(this.o.dataDir).demo;
    const mode: SessionMode = this.o.demo ? 'demo' : key ? 'live' : lastDemo() ? 'demo' : 'unconfigured';
    await this.switchTo(mode, key);
  }

  /** "No key", or what is wrong with the stored one. */
  /** No usable key: a stored key that cannot be read says so (and where), else none is set. */
  noKey(action?: string): AppFailure {
    if (this.keyProblem) return new AppFailure('no_key', `The Telnyx API key cannot be used: ${this.keyProblem.message}.`, this.keyProblem.action ?? action);
    return noKeyFailure(action);
  }

  session(): Session {
    if (!this.#session) throw new AppFailure('internal', 'the core is not started');
    return this.#session;
  }

  get mode(): SessionMode {
    return this.#session?.mode ?? 'unconfigured';
  }

  async switchTo(mode: SessionMode, apiKey?: string | null): Promise<void> {
    await this.#stopSession();
    const key = mode === 'live' ? (apiKey ?? (await this.o.secrets.get())) : null;
    this.#session = await openSession(mode === 'live' && !key ? 'unconfigured' : mode, {
      dataDir: this.o.dataDir,
      clock: this.o.clock,
      logger: this.o.logger,
      apiKey: key,
      apiBaseUrl: this.o.apiBaseUrl,
      demoCalls: this.o.demoCalls,
      telnyxTransport: this.o.telnyxTransport,
      onChange: () => this.#emitJobs(),
      onAlertsFired: () => this.#announce(['alerts']),
    });
    this.#lastPollError = null;
    if (mode !== 'unconfigured') writeAppState(this.o.dataDir, { demo: mode === 'demo' });
    if (this.o.autoStart && this.#session.client) this.#startLoops();
    // No change event here: the contract methods that switch sessions declare that they
    // change everything (shared/access.ts), and at start-up nobody is listening yet.
  }

  /**
   * Closes the current session, runs `swap` on its ledger file (a restore), and opens the
   * same mode again, whether the swap succeeded or threw.
   */
  async reopenWith<T>(swap: (ledgerFile: string) => T | Promise<T>): Promise<T> {
    const mode = this.mode;
    const ledgerFile = this.session().ledgerFile;
    await this.#stopSession();
    try {
      return await swap(ledgerFile);
    } finally {
      await this.switchTo(mode);
    }
  }

  /** One poll of stored webhook events, then the events are applied to calls and messages. */
  async pollNow(): Promise<PollResult> {
    const s = this.session();
    if (!s.client) throw this.noKey();
    this.#polling = true;
    this.o.events.emit('sync.status', this.syncStatus());
    try {
      const result = await pollOnce({
        ledger: s.ledger,
        source: clientDeliverySource(s.client),
        clock: this.o.clock,
        logger: this.o.logger,
        hooks: {
          onCallEnded: (id) => s.reconciler.onCallEnded(id),
          onMessageWithoutCost: (id) => s.reconciler.onMessageWithoutCost(id),
        },
      });
      this.#lastPollError = null;
      return result;
    } catch (caught) {
      // A write the ledger refused (read-only file or folder) names the file and the way out.
      const err = readOnlyLedger(caught, s.ledger.db.name) ?? caught;
      this.#lastPollError = toAppError(err);
      if (this.#lastPollError.code === 'auth') s.reconciler.pause(this.#lastPollError.message);
      throw toAppFailure(err);
    } finally {
      this.#polling = false;
      this.#emitJobs();
      this.o.events.emit('sync.status', this.syncStatus());
    }
  }

  syncStatus(): SyncStatus {
    const s = this.#session;
    const settings = s?.settings();
    const last = s?.ledger.runs.last('poll');
    const r = s?.reconciler.status();
    return {
      mode: this.mode,
      pollingEnabled: settings?.pollingEnabled ?? false,
      running: this.#polling,
      lastSyncAt: last?.status === 'ok' ? (last.finishedAt ?? last.startedAt) : (s?.ledger.runs.last('poll')?.startedAt ?? null),
      nextSyncAt: this.#nextSyncAt,
      lastError: this.#lastPollError,
      fetcherPaused: r?.paused ?? false,
      fetcherPauseReason: r?.pauseReason ?? null,
      pendingJobs: r?.pending ?? 0,
      failedJobs: r?.failed ?? 0,
      unusableEvents: s?.ledger.events.unusable() ?? { total: 0, reasons: [] },
      unlinkedFeatureRecords: s?.ledger.records.unlinkedFeatureCount() ?? 0,
    };
  }

  /** Starts (or resumes) an import in the background and returns its first progress. */
  startImport(from: number, to: number, types: RecordType[]): ImportProgress {
    const s = this.session();
    // The input first: a range out of bounds is refused as such, key or no key.
    try {
      validateRange(from, to, this.o.clock.now());
    } catch (err) {
      throw new AppFailure('invalid_input', (err as Error).message);
    }
    if (!s.client) throw this.noKey();
    releaseDeadImports(s.ledger, this.o.clock.now());
    const existing = s.ledger.imports.findResumable(from, to, [...new Set(types)].sort() as RecordType[]);
    if (existing?.status === 'running') {
      throw new AppFailure('conflict', `An import of this range is already running (import ${existing.id}).`);
    }
    const controller = new AbortController();
    const settings = s.settings();
    const run = runImport({
      ledger: s.ledger,
      source: importSource(s, reportSettings(settings.reportImportMinDays), this.o.logger),
      clock: this.o.clock,
      logger: this.o.logger,
      from,
      to,
      recordTypes: types,
      owner: this.owner,
      signal: controller.signal,
      onProgress: (p) => this.o.events.emit('import.progress', p),
      onCallsUpdated: (ids, settled) => s.reconciler.onCostsApplied(ids, settled),
      jobsOwner: s.reconciler.owner,
      compare: comparisonEstimator(settings.rates),
      // The pages commit on a worker thread while this one fetches the next (main-thread
      // commits where it cannot start). Every session watches spend (session.ts), and the
      // session's hooks do not see the worker's writes: it evaluates alerts itself and its
      // firings are announced as the session's are.
      startWriter: () =>
        startImportWriter(
          { file: s.ledger.db.name, compareRates: settings.rates, spendAlerts: true, ...APP_WRITER_LIMITS },
          { onAlertsFired: () => this.#announce(['alerts']) },
          this.o.logger,
        ),
    });
    // runImport creates (or resumes) its row synchronously, before its first await.
    const row = s.ledger.imports.recent(1)[0]!;
    this.#imports.set(row.id, controller);
    this.#runs.set(row.id, run);
    run
      .then(() => this.#announce(['calls', 'messages', 'jobs', 'imports']))
      .catch((err) => this.o.logger.warn({ importId: row.id, err: String(err) }, 'import failed'))
      .finally(() => {
        this.#imports.delete(row.id);
        this.#runs.delete(row.id);
      });
    return importView(row, null, s.ledger.imports.problemCount(row.id));
  }

  cancelImport(importId: number): ImportProgress {
    const s = this.session();
    const row = s.ledger.imports.get(importId);
    if (!row) throw new AppFailure('not_found', `import ${importId} does not exist`);
    this.#imports.get(importId)?.abort();
    return importView(s.ledger.imports.get(importId)!, null, s.ledger.imports.problemCount(importId));
  }

  /**
   * The last progress of an import once its run in this process ends (at once when none runs
   * here). A run that failed throws its failure, so a rejected key is still a rejected key.
   */
  async waitImport(importId: number): Promise<ImportProgress> {
    const run = this.#runs.get(importId);
    if (run) {
      try {
        return await run;
      } catch (err) {
        throw toAppFailure(err);
      }
    }
    const { ledger } = this.session();
    const row = ledger.imports.get(importId);
    if (!row) throw new AppFailure('not_found', `import ${importId} does not exist`);
    return importView(row, null, ledger.imports.problemCount(importId));
  }

  listImports(): ImportProgress[] {
    const { ledger } = this.session();
    return ledger.imports.recent(20).map((r) => importView(r, null, ledger.imports.problemCount(r.id), reportViews(ledger, r.id)));
  }

  /** Rows imports could not read after retries, kept as received. */
  importProblems(importId: number | null, limit: number, offset: number) {
    return this.session().ledger.imports.problems(importId, limit, offset);
  }

  /** Background work (the sync loop, a finished import) announces what it wrote. */
  #announce(topics: Topic[]): void {
    this.o.events.emit('ledger.changed', { at: this.o.clock.now(), topics });
  }

  #emitJobs(): void {
    const r = this.#session?.reconciler.status();
    if (r) this.o.events.emit('jobs.changed', { pending: r.pending, failed: r.failed, at: this.o.clock.now() });
  }

  #startLoops(): void {
    const controller = new AbortController();
    this.#loop = controller;
    const s = this.session();
    s.reconciler.start();
    void (async () => {
      while (!controller.signal.aborted) {
        const settings = s.settings();
        if (settings.pollingEnabled) {
          const polled = await this.pollNow().catch(() => null);
          if (polled && polled.newEvents > 0) this.#announce(['calls', 'messages', 'jobs']);
        }
        this.#nextSyncAt = this.o.clock.now() + settings.pollingIntervalSec * 1000;
        this.o.events.emit('sync.status', this.syncStatus());
        await this.o.clock.sleep(settings.pollingIntervalSec * 1000, controller.signal).catch(() => {});
      }
    })();
  }

  async #stopSession(): Promise<void> {
    this.#loop?.abort();
    this.#loop = null;
    this.#nextSyncAt = null;
    for (const c of this.#imports.values()) c.abort();
    this.#imports.clear();
    // A cancelled import ends within a chunk's commit; its write worker holds a connection to
    // the ledger file until then, which a restore or a move must not swap away under it.
    await endsOrTimesOut([...this.#runs.values()], IMPORT_STOP_WAIT_MS);
    const s = this.#session;
    this.#session = null;
    await s?.close();
  }

  async close(): Promise<void> {
    await this.#stopSession();
  }
}

/** How long closing a session waits for its cancelled imports to end. */
const IMPORT_STOP_WAIT_MS = 15_000;

/**
 * An import's records: the pages read on a fetch worker with a small heap (ingest/fetch-worker.ts;
 * on this thread where it cannot start), the batch reports with the session's client.
 */
function importSource(s: Session, reports: ReportSettings | undefined, logger: Logger): RecordPageSource {
  const inThread = clientRecordSource(s.client!, undefined, undefined, reports);
  const start = s.startFetchWorker;
  return start ? workerRecordSource(() => start(APP_FETCHER_LIMITS), inThread, logger) : inThread;
}

async function endsOrTimesOut(runs: Promise<unknown>[], ms: number): Promise<void> {
  if (runs.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms).unref()));
  await Promise.race([Promise.allSettled(runs), timeout]);
  clearTimeout(timer);
}

function importView(
  r: {
    id: number;
    status: ImportProgress['status'];
    fromTs: number;
    toTs: number;
    recordTypes: RecordType[];
    pages: number;
    records: number;
    startedAt: number;
    finishedAt: number | null;
    error: string | null;
  },
  pagesTotal: number | null,
  rejected: number,
  reports?: ImportProgress['reports'],
): ImportProgress {
  return {
    ...(reports ? { reports } : {}),
    importId: r.id,
    status: r.status,
    range: { from: r.fromTs, to: r.toTs },
    recordTypes: r.recordTypes,
    pagesDone: r.pages,
    pagesTotal,
    records: r.records,
    rejected,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    etaMs: null,
    error: r.error,
  };
}
