// The API key: write-only. The screen only ever shows "set, ends in …4f2a".
import { useState } from 'react';
import type { AppError, Result, SettingsView } from '../../../shared/contract.ts';
import { useData } from '../../data/context.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { submitWith } from '../../lib/submit.ts';

const STORAGE: Record<SettingsView['keyStorage'], string> = {
  'os-keychain': 'Operating-system keychain (encrypted)',
  'basic-text': 'Obfuscated, not encrypted (no keyring on this desktop)',
  'host-encrypted': 'Encrypted by this host',
  none: 'Nowhere yet',
};

export function ApiKeySection({ view, onView }: { view: SettingsView; onView(v: SettingsView): void }) {
  const data = useData();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Saved, but Telnyx could not be asked: said as a warning, not as a success.
  const [unchecked, setUnchecked] = useState(false);

  const after = async (res: Result<SettingsView>, message: string) => {
    setBusy(false);
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setError(null);
    setKey('');
    setSaved(message);
    onView(res.value); // the mode and sync status are refreshed by the data layer
  };

  const save = async () => {
    setSaved(null);
    if (key.trim().length < 10) {
      setError({
        code: 'invalid_input',
        message: 'That does not look like a Telnyx API key (too short).',
        action: 'Paste the full key from the Telnyx portal (Auth → API Keys).',
      });
      return;
    }
    setBusy(true);
    const res = await data.write('settings.setApiKey', { apiKey: key.trim() });
    const check = res.ok ? res.value.keyCheck : undefined;
    setUnchecked(Boolean(check && !check.verified));
    await after(
      res,
      check ? (check.verified ? `Checked with Telnyx: ${check.message} API key saved.` : `API key saved without a check. ${check.message}`) : 'API key saved.',
    );
  };

  const clear = async () => {
    setSaved(null);
    setUnchecked(false);
    setBusy(true);
    await after(await data.write('settings.clearApiKey', {}), 'API key removed from this computer.');
  };

  return (
    <section className="card" aria-labelledby="set-key-title" data-testid="settings-key-section">
      <h2 id="set-key-title">Telnyx API key</h2>
      <p data-testid="api-key-status" data-set={view.apiKeySet ? 'true' : 'false'}>
        {view.apiKeySet ? (
          <>
            <strong>Set</strong>, ends in <span className="mono">{view.apiKeyHint ?? '…'}</span>
          </>
        ) : (
          <strong>Not set</strong>
        )}
      </p>
      <p className="muted" data-testid="key-storage">
        Stored in: {STORAGE[view.keyStorage]}
      </p>
      {view.keyStorageWarning && (
        <p className="notice notice-warn" data-testid="key-storage-warning">
          {view.keyStorageWarning}
        </p>
      )}
      <form className="inline-form" onSubmit={submitWith(save)}>
        <div className="field field-wide">
          <label htmlFor="set-api-key">{view.apiKeySet ? 'Replace API key' : 'API key'}</label>
          <input
            id="set-api-key"
            type="password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder="KEY0…"
            aria-describedby="set-api-key-help"
            data-testid="settings-api-key"
          />
          <p id="set-api-key-help" className="help">
            Sent once to Cost Desk’s core and stored on this computer; it is never shown again.
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || key.length === 0} data-testid="settings-save-key">
            Save key
          </button>
          {view.apiKeySet && (
            <button type="button" className="btn btn-danger" onClick={clear} disabled={busy} data-testid="settings-clear-key">
              Remove key
            </button>
          )}
        </div>
      </form>
      <div role="status" aria-live="polite" data-testid="settings-key-outcome">
        {saved && <p className={`notice ${unchecked ? 'notice-warn' : 'notice-ok'}`}>{saved}</p>}
        {busy && key.length > 0 && <p className="muted">Checking the key with Telnyx…</p>}
      </div>
      {error && <ErrorNotice error={error} testId="settings-key-error" />}
    </section>
  );
}
