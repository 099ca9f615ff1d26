// Settings: API key, demo mode, Telnyx base URL, fallback rates, polling, retry schedule,
// settle window; the data folder and backups (DataSection). Validation errors from the core show next to the form.
import { useEffect, useState } from 'react';
import type { AppError, SettingsView } from '../../../shared/contract.ts';
import { useAppState } from '../../app/context.ts';
import { useData } from '../../data/context.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ScreenPage } from '../../components/ScreenPage.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { ApiKeySection } from './ApiKeySection.tsx';
import { DoctorSection } from './DoctorSection.tsx';
import { VerifySection } from './VerifySection.tsx';
import { DataSection } from './DataSection.tsx';
import { buildPatch, fieldErrorsFrom, toDraft, type Draft, type FieldErrors, type TextKey } from './draft.ts';
import { SettingsField } from './SettingsField.tsx';
import { submitWith } from '../../lib/submit.ts';

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

  const input = (k: TextKey) => <SettingsField name={k} value={draft?.[k] ?? ''} error={fieldErrors[k]} onChange={(v) => set(k, v)} />;

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
        <form className="card settings-form" aria-labelledby="set-general-title" data-testid="settings-form" noValidate onSubmit={submitWith(save)}>
          <h2 id="set-general-title">Costs and syncing</h2>

          <fieldset>
            <legend>Telnyx</legend>
            {input('apiBaseUrl')}
          </fieldset>

          <fieldset>
            <legend>Fallback rates (used for estimates until Telnyx’s exact cost arrives)</legend>
            <div className="grid-fields">
              {input('inbound')}
              {input('outbound')}
              {input('currency')}
              {input('first')}
              {input('next')}
              {input('minimum')}
            </div>
            <label className="check">
              <input type="checkbox" checked={draft.learnRates} onChange={(e) => set('learnRates', e.target.checked)} data-testid="settings-learn-rates" />
              Learn rates from recent exact costs of the same number and direction
            </label>
            {input('otherRates')}
            {input('numberRates')}
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
              {input('pollingInterval')}
              {input('settleMinutes')}
            </div>
            {input('schedule')}
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
