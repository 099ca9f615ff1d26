// data.move on the runtime: the session is closed (no write of ours lands in the old folder
// while it is copied), the data copied, checked and committed by the pointer, then the same
// mode is opened again, on the new folder when the move succeeded, else on the old one.
import type { CoreApi } from '../api/types.ts';
import { contentsView } from '../backup/api.ts';
import type { CoreRuntime } from '../runtime/runtime.ts';
import { moveData } from './move.ts';

export function moveMethods(rt: CoreRuntime): Pick<CoreApi, 'data.move'> {
  return {
    'data.move': async ({ to }) => {
      const home = rt.o.homeDir ?? rt.o.dataDir;
      const from = rt.o.dataDir;
      const moved = await rt.reopenWith(async () => {
        const r = await moveData(home, from, to, rt.o.clock.now());
        // Committed: the session reopens on the new folder (reopenWith's finally).
        rt.o.dataDir = r.to;
        return r;
      });
      return {
        from: moved.from,
        to: moved.to,
        ledgers: moved.ledgers.map((l) => ({ file: l.file, contents: contentsView(l.summary) })),
        backups: moved.backups,
        files: moved.files,
      };
    },
  };
}
