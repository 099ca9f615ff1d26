// The settings form's draft: the text typed into each field, what of it goes to the core
// (only what changed, as typed values), and the core's complaints put back on their fields.
import type { SettingsPatch, SettingsView } from '../../../shared/contract.ts';
import type { InputIssue } from '../../../shared/errors.ts';
import { currencyLinesText, numberLinesText, parseCurrencyLines, parseNumberLines } from '../../lib/rate-lines.ts';
import { parseSchedule, scheduleToText } from '../../lib/schedule.ts';

export interface Draft {
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

export function toDraft(v: SettingsView): Draft {
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

export type FieldErrors = Partial<Record<keyof Draft, string>>;

/** The fields typed as text (the others are check boxes). */
export type TextKey = Exclude<keyof Draft, 'learnRates' | 'pollingEnabled'>;

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
export function buildPatch(d: Draft, v: SettingsView): { patch: SettingsPatch; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const patch: SettingsPatch = {};
  const rates: NonNullable<SettingsPatch['rates']> = {};
  const changed = <T>(value: T, current: T) => !Object.is(value, current);

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
export function fieldErrorsFrom(issues: readonly InputIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = PATH_TO_FIELD[issue.path.filter((p) => typeof p === 'string').join('.')];
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}
