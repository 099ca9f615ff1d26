// Small shell pieces: the per-OS data folder, and how
// host-specific methods replace core ones.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { createHostEncryptedSecretStore } from '../../electron/secrets/index.ts';
import { defaultDataDir, resolveDataDir } from '../../electron/hosts/data-dir.ts';
import { withHostMethods } from '../../electron/hosts/host-core.ts';

test('data folder per OS, overridable by COST_DESK_DATA_DIR and --data-dir', () => {
  const home = '/home/ada';
  assert.equal(defaultDataDir({}, 'linux', home), '/home/ada/.local/share/telnyx-cost-desk');
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '/data/xdg' }, 'linux', home), '/data/xdg/telnyx-cost-desk');
  assert.equal(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', home), '/home/ada/.local/share/telnyx-cost-desk');
  assert.equal(defaultDataDir({}, 'darwin', home), '/home/ada/Library/Application Support/telnyx-cost-desk');
  assert.equal(defaultDataDir({ APPDATA: '/c/Users/ada/AppData/Roaming' }, 'win32', home), join('/c/Users/ada/AppData/Roaming', 'telnyx-cost-desk'));
  assert.equal(defaultDataDir({ COST_DESK_DATA_DIR: '/tmp/cd', XDG_DATA_HOME: '/x' }, 'linux', home), '/tmp/cd');
  assert.equal(resolveDataDir('/flag/dir', { COST_DESK_DATA_DIR: '/tmp/cd' }), '/flag/dir');
});

test('withHostMethods replaces only the given methods and delegates the rest to the core', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cost-desk-misc-'));
  const core = await createCore({ dataDir: dir, secrets: createHostEncryptedSecretStore({ dir }), host: 'web', autoStart: false, logger: silentLogger() });
  try {
    const exported = { savedTo: null, downloadUrl: '/api/download/x', rows: null, cancelled: false };
    const api = withHostMethods(core.api, { 'export.run': async () => exported });
    assert.equal(await api['export.run']({ report: 'calls', range: { from: 0, to: 1 } }), exported);
    assert.equal((await api['app.info']({})).host, 'web');
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
});
