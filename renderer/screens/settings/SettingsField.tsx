// The settings form's text fields, described once each: label, kind of input, help, test id.
// Each field's input is `set-<key>`, its complaint `set-<key>-error` (the e2e tests and the
// core's issue paths find them by these).
import type { ReactNode } from 'react';
import type { TextKey } from './draft.ts';

interface FieldSpec {
  label: string;
  testId: string;
  type?: 'url';
  inputMode?: 'decimal' | 'numeric';
  maxLength?: number;
  /** Typed as capitals (a currency code). */
  upper?: boolean;
  /** A textarea of this many rows. */
  rows?: number;
  placeholder?: string;
  help?: { id: string; text: string };
  wide?: boolean;
}

const FIELDS: Record<TextKey, FieldSpec> = {
  apiBaseUrl: { label: 'API base URL', type: 'url', wide: true, testId: 'settings-api-base-url' },
  inbound: { label: 'Inbound per minute', inputMode: 'decimal', testId: 'settings-rate-inbound' },
  outbound: { label: 'Outbound per minute', inputMode: 'decimal', testId: 'settings-rate-outbound' },
  currency: { label: 'Currency', maxLength: 3, upper: true, testId: 'settings-rate-currency' },
  first: { label: 'First increment (s)', inputMode: 'numeric', testId: 'settings-rate-first' },
  next: { label: 'Next increments (s)', inputMode: 'numeric', testId: 'settings-rate-next' },
  minimum: { label: 'Minimum billed (s)', inputMode: 'numeric', testId: 'settings-rate-minimum' },
  otherRates: {
    label: 'Fallback rates in other currencies',
    rows: 3,
    placeholder: 'EUR 0.0050 0.0110',
    wide: true,
    help: {
      id: 'set-otherRates-help',
      text:
        'One currency a line: code, inbound and outbound per minute. A number is estimated in the currency its exact costs come in; with no rate here for ' +
        'it, from its own exact calls — never in another currency.',
    },
    testId: 'settings-other-rates',
  },
  numberRates: {
    label: 'Rates for single numbers',
    rows: 3,
    placeholder: '+4915112345678 EUR 0.0050 0.0110',
    wide: true,
    help: { id: 'set-numberRates-help', text: 'One number a line (E.164), its currency, inbound and outbound per minute: used instead of the fallback above.' },
    testId: 'settings-number-rates',
  },
  pollingInterval: { label: 'Polling interval (s)', inputMode: 'numeric', testId: 'settings-polling-interval' },
  settleMinutes: {
    label: 'Settle window (minutes)',
    inputMode: 'decimal',
    help: { id: 'set-settle-help', text: 'How long to wait for a detail record before the estimate stands.' },
    testId: 'settings-settle-window',
  },
  schedule: {
    label: 'Retry schedule',
    wide: true,
    help: {
      id: 'set-schedule-help',
      text: 'Delays between attempts to fetch an exact cost, comma-separated: 30s, 2m, 10m, 1h (a bare number is seconds).',
    },
    testId: 'settings-retry-schedule',
  },
};

export function SettingsField({ name, value, error, onChange }: { name: TextKey; value: string; error?: string; onChange(value: string): void }): ReactNode {
  const spec = FIELDS[name];
  const id = `set-${name}`;
  const input = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : spec.help?.id,
    placeholder: spec.placeholder,
    'data-testid': spec.testId,
  };
  const changed = (text: string) => onChange(spec.upper ? text.toUpperCase() : text);
  return (
    <div className={spec.wide ? 'field field-wide' : 'field'}>
      <label htmlFor={id}>{spec.label}</label>
      {spec.rows ? (
        <textarea rows={spec.rows} onChange={(e) => changed(e.target.value)} {...input} />
      ) : (
        <input type={spec.type} inputMode={spec.inputMode} maxLength={spec.maxLength} onChange={(e) => changed(e.target.value)} {...input} />
      )}
      {spec.help && (
        <p id={spec.help.id} className="help">
          {spec.help.text}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
