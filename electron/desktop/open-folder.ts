// data.openFolder in the desktop app: Electron's shell.openPath opens the data folder in the
// OS file manager; it answers '' on success, else what went wrong.
import type { Output } from '../../shared/contract.ts';
import { AppFailure } from '../core/api/types.ts';

/** `dataDir` may be asked each time: a moved data folder (data.move) is the one to open. */
export function createOpenFolder(
  openPath: (path: string) => Promise<string>,
  folder: string | (() => Promise<string>),
): () => Promise<Output<'data.openFolder'>> {
  return async () => {
    const dataDir = typeof folder === 'string' ? folder : await folder();
    const problem = await openPath(dataDir);
    if (problem) throw new AppFailure('internal', `Could not open ${dataDir}: ${problem}`);
    return { opened: true, path: dataDir };
  };
}
