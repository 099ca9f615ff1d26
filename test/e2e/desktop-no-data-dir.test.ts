// The desktop app when its data folder cannot be created (COST_DESK_DATA_DIR names a file): this
// fails before any window exists, so main.cjs shows Electron's error box — the error, the fix,
// the log folder — and exits with code 1. (One main.cjs per process: its own file.)
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { CHROMIUM, waitFor } from './support/app.ts';
import { launchDesktop } from './support/desktop.ts';

test(
  'a data folder that cannot be created: an error box that names the fix, exit code 1',
  { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`, timeout: 60_000 },
  async () => {
    const { electron } = await launchDesktop({
      prepare: (dir) => {
        rmSync(dir, { recursive: true });
        writeFileSync(dir, 'a file where the data folder should be');
      },
    });
    assert.deepEqual(await waitFor(() => electron.app.ended, 'main.cjs to exit'), { how: 'exit', code: 1 });
    const boxes = electron.records.filter((r) => r.kind === 'showErrorBox').map((r) => r.args as { title: string; content: string });
    assert.equal(boxes.length, 1);
    assert.equal(boxes[0]!.title, 'Telnyx Cost Desk could not start');
    assert.match(boxes[0]!.content, /EEXIST|ENOTDIR/);
    assert.match(boxes[0]!.content, /The data folder cannot be created or written/);
    assert.ok(boxes[0]!.content.includes(`Logs: ${electron.app.getPath('logs')}`));
    assert.equal(electron.windows().length, 0);
  },
);
