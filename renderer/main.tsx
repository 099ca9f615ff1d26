// Entry: pick the transport (Electron preload, browser host, or a dev mock), then render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { selectClient } from './api/select.ts';
import { App } from './app/App.tsx';
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/screens.css';

const root = createRoot(document.getElementById('root')!);

selectClient().then(
  (api) =>
    root.render(
      <StrictMode>
        <App api={api} />
      </StrictMode>,
    ),
  (err: unknown) => {
    console.error('[cost-desk] could not start', err);
    root.render(
      <main className="main">
        <h1>Cost Desk could not start</h1>
        <p role="alert">{err instanceof Error ? err.message : String(err)}</p>
      </main>,
    );
  },
);
