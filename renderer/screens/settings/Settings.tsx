// Settings: API key, demo mode, Telnyx base URL, fallback rates, polling, retry schedule,
// settle window; the data folder and backups (DataSection). Validation errors from the core show next to the form.
import { useEffect, useState } from 'react';
import type { AppError, SettingsPatch, SettingsView } from '../../../shared/contract.ts';
import type { InputIssue } from '../../../shared/errors.ts';
import { useAppState } from '../../app/context.ts';
import { useData } from '../../data/context.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ScreenPage } from '../../components/ScreenPage.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { currencyLinesText, numberLinesText, parseCurrencyLines, parseNumberLines } from '../../lib/rate-lines.ts';
import { parseSchedule, scheduleToText } from '../../lib/schedule.ts';
import { ApiKeySection } from './ApiKeySection.tsx';
import { DoctorSection } from './DoctorSection.tsx';
import { VerifySection } from './VerifySection.tsx';
import { DataSection } from './DataSection.tsx';

interface Draft {
  apiBaseUrl: string;
  inbound: string;
  outbound: string;
  currency: string;
  first: string;
  next: string;
  minimum: string;
  learnRates: boolean;
  otherRates: string;
  numberRates: string;
  pollingEnabled: boolean;
  pollingInterval: string;
  schedule: string;
  settleMinutes: string;
}

function toDraft(v: SettingsView): Draft {
  return {
    apiBaseUrl: v.apiBaseUrl,
    inbound: v.rates.inboundPerMinute,
    outbound: v.rates.outboundPerMinute,
    currency: v.rates.currency,
    first: String(v.rates.firstIncrementSec),
    next: String(v.rates.nextIncrementSec),
    minimum: String(v.rates.minimumSec),
    learnRates: v.rates.learnRates,
    otherRates: currencyLinesText(v.rates.otherCurrencies),
    numberRates: numberLinesText(v.rates.numbers),
    pollingEnabled: v.pollingEnabled,
    pollingInterval: String(v.pollingIntervalSec),
    schedule: scheduleToText(v.retryScheduleMs),
    settleMinutes: String(v.settleWindowMs / 60_000),
  };
}

type FieldErrors = Partial<Record<keyof Draft, string>>;

/** A number as typed; empty or unreadable text is NaN, which the core's rules then name. */
function numberOf(text: string): number {
  const t = text.trim();
  return t === '' ? NaN : Number(t);
}

/**
 * Only what changed goes to the core, as typed values. The rules themselves (ranges, formats)
 * are the contract's: the core checks them and answers each broken one with its field path.
 * Only the retry schedule's text is parsed here ("30s, 2m"), since it has no typed form yet.
 */
function buildPatch(d: Draft, v: SettingsView): { patch: SettingsPatch; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const patch: SettingsPatch = {};
  const rates: NonNullable<SettingsPatch['rates']> = {};
  const changed = <T,>(value: T, current: T) => !Object.is(value, current);

  const url = d.apiBaseUrl.trim();
  if (changed(url, v.apiBaseUrl)) patch.apiBaseUrl = url;
  if (changed(d.inbound.trim(), v.rates.inboundPerMinute)) rates.inboundPerMinute = d.inbound.trim();
  if (changed(d.outbound.trim(), v.rates.outboundPerMinute)) rates.outboundPerMinute = d.outbound.trim();
  if (changed(d.currency.trim().toUpperCase(), v.rates.currency)) rates.currency = d.currency.trim().toUpperCase();
  if (changed(numberOf(d.first), v.rates.firstIncrementSec)) rates.firstIncrementSec = numberOf(d.first);
  if (changed(numberOf(d.next), v.rates.nextIncrementSec)) rates.nextIncrementSec = numberOf(d.next);
  if (changed(numberOf(d.minimum), v.rates.minimumSec)) rates.minimumSec = numberOf(d.minimum);
  if (d.learnRates !== v.rates.learnRates) rates.learnRates = d.learnRates;
  const other = parseCurrencyLines(d.otherRates);
  if (!other.ok) errors.otherRates = other.message;
  else if (currencyLinesText(other.rows) !== currencyLinesText(v.rates.otherCurrencies)) rates.otherCurrencies = other.rows;
  const own = parseNumberLines(d.numberRates);
  if (!own.ok) errors.numberRates = own.message;
  else if (numberLinesText(own.rows) !== numberLinesText(v.rates.numbers)) rates.numbers = own.rows;
  if (Object.keys(rates).length > 0) patch.rates = rates;

  if (d.pollingEnabled !== v.pollingEnabled) patch.pollingEnabled = d.pollingEnabled;
  if (changed(numberOf(d.pollingInterval), v.pollingIntervalSec)) patch.pollingIntervalSec = numberOf(d.pollingInterval);

  const schedule = parseSchedule(d.schedule);
  if (!schedule.ok) errors.schedule = schedule.message;
  else if (schedule.ms.join(',') !== v.retryScheduleMs.join(',')) patch.retryScheduleMs = schedule.ms;

  const settle = Math.round(numberOf(d.settleMinutes) * 60_000);
  if (changed(settle, v.settleWindowMs)) patch.settleWindowMs = settle;

  return { patch, errors };
}

const PATH_TO_FIELD: Record<string, keyof Draft> = {
  apiBaseUrl: 'apiBaseUrl',
  'rates.inboundPerMinute': 'inbound',
  'rates.outboundPerMinute': 'outbound',
  'rates.currency': 'currency',
  'rates.firstIncrementSec': 'first',
  'rates.nextIncrementSec': 'next',
  'rates.minimumSec': 'minimum',
  'rates.otherCurrencies': 'otherRates',
  'rates.otherCurrencies.currency': 'otherRates',
  'rates.otherCurrencies.inboundPerMinute': 'otherRates',
  'rates.otherCurrencies.outboundPerMinute': 'otherRates',
  'rates.numbers': 'numberRates',
  'rates.numbers.number': 'numberRates',
  'rates.numbers.currency': 'numberRates',
  'rates.numbers.inboundPerMinute': 'numberRates',
  'rates.numbers.outboundPerMinute': 'numberRates',
  pollingIntervalSec: 'pollingInterval',
  retryScheduleMs: 'schedule',
  settleWindowMs: 'settleMinutes',
};

/** The core's issues, each on the field its path names (list indexes dropped). */
function fieldErrorsFrom(issues: readonly InputIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = PATH_TO_FIELD[issue.path.filter((p) => typeof p === 'string').join('.')];
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}

export function Settings() {
  const data = useData();
  const { info, setInfo } = useAppState();
  const loaded = useQuery('settings.get', {});
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [askLeave, setAskLeave] = useState(false);

  useEffect(() => {
    if (loaded.data) {
      setView(loaded.data);
      setDraft(toDraft(loaded.data));
    }
  }, [loaded.data]);

  const set = <K extends keyof Draft>(k: K, value: Draft[K]) => {
    setDraft((d) => (d ? { ...d, [k]: value } : d));
    setSaved(null);
  };

  const save = async () => {
    if (!view || !draft) return;
    const { patch, errors } = buildPatch(draft, view);
    setFieldErrors(errors);
    setSaved(null);
    if (Object.keys(errors).length > 0) {
      setError({ code: 'invalid_input', message: 'Some settings need fixing (see the marked fields).' });
      return;
    }
    if (Object.keys(patch).length === 0) {
      setError(null);
      setSaved('Nothing changed.');
      return;
    }
    setBusy(true);
    const res = await data.write('settings.update', patch);
    setBusy(false);
    if (!res.ok) {
      const marked = fieldErrorsFrom(res.error.issues ?? []);
      setFieldErrors(marked);
      const onFields = Object.keys(marked).length > 0;
      setError(onFields ? { code: 'invalid_input', message: 'Some settings need fixing (see the marked fields).' } : res.error);
      return;
    }
    setError(null);
    setFieldErrors({});
    setView(res.value);
    setDraft(toDraft(res.value));
    setSaved('Settings saved.');
  };

  const demo = async (start: boolean) => {
    setBusy(true);
    // Everything shown is refreshed by the data layer (switching writes every topic).
    const res = await data.write(start ? 'demo.start' : 'demo.stop', {});
    setBusy(false);
    if (res.ok) setInfo(res.value);
    else setError(res.error);
  };

  const field = (k: keyof Draft) => ({
    'aria-invalid': fieldErrors[k] ? true : undefined,
    'aria-describedby': fieldErrors[k] ? `set-${k}-error` : undefined,
  });
  const fieldError = (k: keyof Draft) =>
    fieldErrors[k] ? (
      <p id={`set-${k}-error`} className="field-error">
        {fieldErrors[k]}
      </p>
    ) : null;

  return (
    <ScreenPage route="settings">
      {loaded.error && <ErrorNotice error={loaded.error} testId="settings-load-error" />}
      {view && <ApiKeySection view={view} onView={(v) => (setView(v), setDraft(toDraft(v)))} />}
      {view?.apiKeySet && <DoctorSection />}
      {view?.apiKeySet && <VerifySection />}

      {info && (
        <section className="card" aria-labelledby="set-demo-title">
          <h2 id="set-demo-title">Demo data</h2>
          {info.mode === 'demo' ? (
            <>
              <p>Cost Desk is showing generated demo data. Leave demo mode to use your own account.</p>
              <button type="button" className="btn" onClick={() => setAskLeave(true)} disabled={busy} data-testid="demo-stop">
                Leave demo mode
              </button>
            </>
          ) : (
            <>
              <p>Explore Cost Desk with a generated month of calls and messages; nothing is sent to Telnyx.</p>
              <button type="button" className="btn" onClick={() => void demo(true)} disabled={busy} data-testid="settings-demo-start">
                Explore with demo data
              </button>
            </>
          )}
        </section>
      )}

      {askLeave && (
        <ConfirmDialog
          title="Leave demo mode?"
          confirm="Leave demo mode"
          cancel="Stay in demo"
          onConfirm={() => {
            setAskLeave(false);
            void demo(false);
          }}
          onCancel={() => setAskLeave(false)}
          testId="leave-demo"
        >
          <p>
            Cost Desk switches to your Telnyx account, or to the start screen if no API key is saved. The demo data is kept apart and comes back the next time
            you explore it.
          </p>
        </ConfirmDialog>
      )}

      {draft && view && (
        <form
          className="card settings-form"
          aria-labelledby="set-general-title"
          data-testid="settings-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h2 id="set-general-title">Costs and syncing</h2>

          <fieldset>
            <legend>Telnyx</legend>
            <div className="field field-wide">
              <label htmlFor="set-apiBaseUrl">API base URL</label>
              <input
                id="set-apiBaseUrl"
                type="url"
                value={draft.apiBaseUrl}
                onChange={(e) => set('apiBaseUrl', e.target.value)}
                {...field('apiBaseUrl')}
                data-testid="settings-api-base-url"
              />
              {fieldError('apiBaseUrl')}
            </div>
          </fieldset>

          <fieldset>
            <legend>Fallback rates (used for estimates until Telnyx’s exact cost arrives)</legend>
            <div className="grid-fields">
              <div className="field">
                <label htmlFor="set-inbound">Inbound per minute</label>
                <input
                  id="set-inbound"
                  inputMode="decimal"
                  value={draft.inbound}
                  onChange={(e) => set('inbound', e.target.value)}
                  {...field('inbound')}
                  data-testid="settings-rate-inbound"
                />
                {fieldError('inbound')}
              </div>
              <div className="field">
                <label htmlFor="set-outbound">Outbound per minute</label>
                <input
                  id="set-outbound"
                  inputMode="decimal"
                  value={draft.outbound}
                  onChange={(e) => set('outbound', e.target.value)}
                  {...field('outbound')}
                  data-testid="settings-rate-outbound"
                />
                {fieldError('outbound')}
              </div>
              <div className="field">
                <label htmlFor="set-currency">Currency</label>
                <input
                  id="set-currency"
                  value={draft.currency}
                  maxLength={3}
                  onChange={(e) => set('currency', e.target.value.toUpperCase())}
                  {...field('currency')}
                  data-testid="settings-rate-currency"
                />
                {fieldError('currency')}
              </div>
              <div className="field">
                <label htmlFor="set-first">First increment (s)</label>
                <input
                  id="set-first"
                  inputMode="numeric"
                  value={draft.first}
                  onChange={(e) => set('first', e.target.value)}
                  {...field('first')}
                  data-testid="settings-rate-first"
                />
                {fieldError('first')}
              </div>
              <div className="field">
                <label htmlFor="set-next">Next increments (s)</label>
                <input
                  id="set-next"
                  inputMode="numeric"
                  value={draft.next}
                  onChange={(e) => set('next', e.target.value)}
                  {...field('next')}
                  data-testid="settings-rate-next"
                />
                {fieldError('next')}
              </div>
              <div className="field">
                <label htmlFor="set-minimum">Minimum billed (s)</label>
                <input
                  id="set-minimum"
                  inputMode="numeric"
                  value={draft.minimum}
                  onChange={(e) => set('minimum', e.target.value)}
                  {...field('minimum')}
                  data-testid="settings-rate-minimum"
                />
                {fieldError('minimum')}
              </div>
            </div>
            <label className="check">
              <input type="checkbox" checked={draft.learnRates} onChange={(e) => set('learnRates', e.target.checked)} data-testid="settings-learn-rates" />
              Learn rates from recent exact costs of the same number and direction
            </label>
            <div className="field field-wide">
              <label htmlFor="set-otherRates">Fallback rates in other currencies</label>
              <textarea
                id="set-otherRates"
                rows={3}
                value={draft.otherRates}
                onChange={(e) => set('otherRates', e.target.value)}
                aria-describedby={fieldErrors.otherRates ? 'set-otherRates-error' : 'set-otherRates-help'}
                aria-invalid={fieldErrors.otherRates ? true : undefined}
                placeholder="EUR 0.0050 0.0110"
                data-testid="settings-other-rates"
              />
              <p id="set-otherRates-help" className="help">
                One currency a line: code, inbound and outbound per minute. A number is estimated in the currency its exact costs come in; with no rate here for
                it, from its own exact calls — never in another currency.
              </p>
              {fieldError('otherRates')}
            </div>
            <div className="field field-wide">
              <label htmlFor="set-numberRates">Rates for single numbers</label>
              <textarea
                id="set-numberRates"
                rows={3}
                value={draft.numberRates}
                onChange={(e) => set('numberRates', e.target.value)}
                aria-describedby={fieldErrors.numberRates ? 'set-numberRates-error' : 'set-numberRates-help'}
                aria-invalid={fieldErrors.numberRates ? true : undefined}
                placeholder="+4915112345678 EUR 0.0050 0.0110"
                data-testid="settings-number-rates"
              />
              <p id="set-numberRates-help" className="help">
                One number a line (E.164), its currency, inbound and outbound per minute: used instead of the fallback above.
              </p>
              {fieldError('numberRates')}
            </div>
          </fieldset>

          <fieldset>
            <legend>Syncing</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.pollingEnabled}
                onChange={(e) => set('pollingEnabled', e.target.checked)}
                data-testid="settings-polling-enabled"
              />
              Poll Telnyx for new calls and messages automatically
            </label>
            <div className="grid-fields">
              <div className="field">
                <label htmlFor="set-pollingInterval">Polling interval (s)</label>
                <input
                  id="set-pollingInterval"
                  inputMode="numeric"
                  value={draft.pollingInterval}
                  onChange={(e) => set('pollingInterval', e.target.value)}
                  {...field('pollingInterval')}
                  data-testid="settings-polling-interval"
                />
                {fieldError('pollingInterval')}
              </div>
              <div className="field">
                <label htmlFor="set-settleMinutes">Settle window (minutes)</label>
                <input
                  id="set-settleMinutes"
                  inputMode="decimal"
                  value={draft.settleMinutes}
                  onChange={(e) => set('settleMinutes', e.target.value)}
                  aria-describedby={fieldErrors.settleMinutes ? 'set-settleMinutes-error' : 'set-settle-help'}
                  aria-invalid={fieldErrors.settleMinutes ? true : undefined}
                  data-testid="settings-settle-window"
                />
                <p id="set-settle-help" className="help">
                  How long to wait for a detail record before the estimate stands.
                </p>
                {fieldError('settleMinutes')}
              </div>
            </div>
            <div className="field field-wide">
              <label htmlFor="set-schedule">Retry schedule</label>
              <input
                id="set-schedule"
                value={draft.schedule}
                onChange={(e) => set('schedule', e.target.value)}
                aria-describedby={fieldErrors.schedule ? 'set-schedule-error' : 'set-schedule-help'}
                aria-invalid={fieldErrors.schedule ? true : undefined}
                data-testid="settings-retry-schedule"
              />
              <p id="set-schedule-help" className="help">
                Delays between attempts to fetch an exact cost, comma-separated: 30s, 2m, 10m, 1h (a bare number is seconds).
              </p>
              {fieldError('schedule')}
            </div>
          </fieldset>

          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="settings-save">
              Save settings
            </button>
            <button type="button" className="btn" onClick={() => (setDraft(toDraft(view)), setFieldErrors({}), setError(null))} disabled={busy}>
              Undo changes
            </button>
            <span role="status" aria-live="polite" data-testid="settings-saved">
              {saved}
            </span>
          </div>
          {error && <ErrorNotice error={error} testId="settings-error" />}
        </form>
      )}

      <DataSection />
    </ScreenPage>
  );
}
