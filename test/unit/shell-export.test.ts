// export.run on the desktop: the save dialog (a stand-in) decides the path, the real core's
// exportReport streams the CSV there via a temporary file.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Dialog } from 'electron';
import type { ExportRequest } from '../../shared/contract.ts';
import { createCore, type Core } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { createHostEncryptedSecretStore } from '../../electron/secrets/index.ts';
import { createElectronExport } from '../../electron/desktop/export.ts';
import { reportFileName } from '../../electron/hosts/host-core.ts';

let dir: string;
let out: string;
let core: Core;
const request: ExportRequest = { report: 'calls', range: { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) } };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cost-desk-export-'));
  out = await mkdtemp(join(tmpdir(), 'cost-desk-export-out-'));
  core = await createCore({ dataDir: dir, secrets: createHostEncryptedSecretStore({ dir }), host: 'electron', autoStart: false, logger: silentLogger() });
});
after(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

function dialogAnswering(filePath: string | null) {
  const asked: unknown[][] = [];
  const dialog = {
    showSaveDialog: async (...args: unknown[]) => {
      asked.push(args);
      return filePath ? { canceled: false, filePath } : { canceled: true, filePath: '' };
    },
  } as unknown as Pick<Dialog, 'showSaveDialog'>;
  return { dialog, asked };
}

test('the file name names the report and the days it covers', () => {
  assert.equal(reportFileName(request), 'cost-desk-calls-2026-01-01-to-2026-01-31.csv');
  assert.equal(reportFileName({ ...request, report: 'summary', number: '+1 (555) 010-0001' }), 'cost-desk-summary-15550100001-2026-01-01-to-2026-01-31.csv');
});

test('cancelling the dialog writes nothing', async () => {
  const { dialog, asked } = dialogAnswering(null);
  const run = createElectronExport({ dialog, getWindow: () => null, exportReport: core.exportReport, defaultDir: out });
  assert.deepEqual(await run(request), { savedTo: null, downloadUrl: null, rows: null, cancelled: true });
  assert.equal((asked[0]![0] as { defaultPath: string }).defaultPath, join(out, reportFileName(request)));
  assert.deepEqual(await readdir(out), []);
});

test('the chosen path receives the CSV, with no temporary file left behind', async () => {
  const target = join(out, 'january.csv');
  const { dialog } = dialogAnswering(target);
  const run = createElectronExport({ dialog, getWindow: () => null, exportReport: core.exportReport, defaultDir: out });
  const outcome = await run(request);
  assert.equal(outcome.savedTo, target);
  assert.equal(outcome.cancelled, false);
  const csv = await readFile(target, 'utf8');
  const lines = csv.split(/\r?\n/).filter((l) => l !== '');
  assert.ok(lines.length >= 1, 'at least a header row');
  assert.equal(outcome.rows, lines.length - 1);
  assert.deepEqual(await readdir(out), ['january.csv']);
});

test('a target that cannot be written fails the export and leaves nothing', async () => {
  const target = join(out, 'no-such-folder', 'x.csv');
  const { dialog } = dialogAnswering(target);
  const run = createElectronExport({ dialog, getWindow: () => null, exportReport: core.exportReport, defaultDir: out });
  await assert.rejects(run(request), /ENOENT/);
  assert.deepEqual(
    (await readdir(out)).filter((f) => f !== 'january.csv'),
    [],
  );
});
