// Change events come from the contract's access declaration (shared/access.ts), in one place:
// a write method announces the topics it declares, once; a read announces nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCESS, TOPICS } from '../../shared/access.ts';
import { METHODS } from '../../shared/contract.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { WRITE_METHODS } from '../../electron/core/api/change-events.ts';
import { createCore, type Core } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { createHostEncryptedSecretStore } from '../../electron/secrets/index.ts';
import { tempDir } from '../helpers/temp.ts';

interface CoreWithEvents {
  core: Core;
  /** Every event the core sent, in order. */
  seen: Array<[string, unknown]>;
  /** The topics of each ledger.changed event so far. */
  changes(): string[][];
}

/** Runs `fn` on a fresh core (a browser host's) that records the events it sends, and closes it after. */
async function withCoreEvents(fn: (c: CoreWithEvents) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const core = await createCore({ dataDir: dir, secrets: createHostEncryptedSecretStore({ dir }), host: 'web', autoStart: false, logger: silentLogger() });
  const seen: Array<[string, unknown]> = [];
  core.events.on((event, payload) => seen.push([event, payload]));
  try {
    await fn({ core, seen, changes: () => seen.filter(([e]) => e === 'ledger.changed').map(([, p]) => (p as { topics: string[] }).topics) });
  } finally {
    await core.close();
  }
}

test('every contract method declares what it reads and writes, with known topics', () => {
  assert.deepEqual(Object.keys(ACCESS).sort(), [...METHODS].sort());
  for (const m of METHODS) {
    for (const t of [...ACCESS[m].reads, ...ACCESS[m].writes]) assert.ok((TOPICS as readonly string[]).includes(t), `${m}: ${t}`);
  }
  assert.ok(WRITE_METHODS.includes('calls.refetch') && !WRITE_METHODS.includes('calls.list'));
});

test('a write announces its declared topics once; a read announces nothing', () =>
  withCoreEvents(async ({ core, seen, changes }) => {
    await dispatch(core.api, 'calls.list', {});
    await dispatch(core.api, 'overview.summary', { range: { from: 0, to: 1000 } });
    assert.equal(seen.length, 0, 'reads announce nothing');

    const r = await dispatch(core.api, 'jobs.retry', { id: 1 });
    assert.equal(r.ok, false, 'no job 1 in an empty ledger');
    assert.deepEqual(changes(), [['jobs']]);
    assert.equal(seen.filter(([e]) => e === 'sync.status').length, 0, 'jobs are not the sync topic');

    const s = await dispatch(core.api, 'settings.update', { pollingEnabled: false });
    assert.equal(s.ok, true);
    assert.deepEqual(changes().at(-1), [...TOPICS], 'settings may change the mode (a new API host drops the key)');
    assert.equal(seen.filter(([e]) => e === 'sync.status').length, 1, 'the sync topic also pushes the new status');
  }));

test('switching to demo data announces everything, once', () =>
  withCoreEvents(async ({ core, changes }) => {
    const r = await dispatch(core.api, 'demo.start', {});
    assert.equal(r.ok, true);
    // (the demo's first import, started in the background, announces its own writes later)
    assert.deepEqual(changes()[0], [...TOPICS]);
    assert.equal(changes().filter((t) => t.length === TOPICS.length).length, 1);
  }));

test('a write that fails still announces (it may have changed something before failing)', () =>
  withCoreEvents(async ({ core, changes }) => {
    const r = await dispatch(core.api, 'jobs.processNow', {});
    assert.equal(r.ok, false);
    assert.deepEqual(changes(), [['calls', 'messages', 'jobs']]);
  }));
