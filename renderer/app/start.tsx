// The app chunk's entry (loaded by main.ts right after boot): build the client over the
// transport boot picked, wait briefly for the first answers, then render.
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { selectClient, type Booted } from '../api/select.ts';
import { createDataLayer, keyOf, type DataLayer } from '../data/client.ts';
import { App } from './App.tsx';

/**
 * How long the first render waits for the first screen's data (usually there already). One
 * render with the data beats a render without it and a second one moments later; past this,
 * the app shows its frame and the data follows.
 */
const FIRST_RENDER_WAIT_MS = 300;

/** Runs `run` once, in a task of its own after the first render (and usually its paint). */
function AfterFirstRender({ run }: { run: () => void }) {
  useEffect(() => {
    const timer = setTimeout(run, 0);
    return () => clearTimeout(timer);
  }, [run]);
  return null;
}

/** The entry is async: in principle this chunk could run before the parser reached #root. */
function parsed(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

/**
 * The boot module's requests become the first fetch of their queries (the client hands the
 * query function the answer already asked for), so nothing is asked twice; resolves when the
 * first render's needs are in the cache, or after FIRST_RENDER_WAIT_MS.
 */
function seeded(data: DataLayer, booted: Booted): Promise<unknown> {
  const needed: Promise<void>[] = [];
  for (const [method, input] of booted.firstCalls) {
    const done = data.queries.prefetchQuery({ queryKey: keyOf(method, input as never) });
    if (booted.firstNeeds.includes(method)) needed.push(done);
  }
  return Promise.race([Promise.all(needed), new Promise((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS))]);
}

export async function start(booted: Booted): Promise<void> {
  performance.mark('cost-desk:app-loaded');
  await parsed();
  const root = createRoot(document.getElementById('root')!);
  try {
    const api = await selectClient(booted);
    const data = createDataLayer(api);
    await seeded(data, booted);
    root.render(
      <StrictMode>
        <App api={api} data={data} />
        <AfterFirstRender run={booted.later} />
      </StrictMode>,
    );
  } catch (err) {
    console.error('[cost-desk] could not start', err);
    setTimeout(booted.later, 0);
    root.render(
      <main className="main">
        <h1>Cost Desk could not start</h1>
        <p role="alert">{err instanceof Error ? err.message : String(err)}</p>
      </main>,
    );
  }
}
