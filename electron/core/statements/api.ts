// The statements.* contract methods (the Statements screen, `cost-desk statement`).
import type { CoreApi } from '../api/types.ts';
import type { CoreRuntime } from '../runtime/runtime.ts';
import { defaultStatementPath, formatOfFile, statementFor, statementView, writeStatement } from './index.ts';
import { AppFailure } from '../api/types.ts';

export function statementMethods(rt: CoreRuntime): Pick<CoreApi, 'statements.get' | 'statements.export'> {
  return {
    'statements.get': async (q) => statementView(statementFor(rt.session().ledger.db, q, rt.o.clock.now())),
    'statements.export': async ({ format, out, ...q }) => {
      const db = rt.session().ledger.db;
      const st = statementFor(db, q, rt.o.clock.now());
      if (out && formatOfFile(out) !== format) throw new AppFailure('invalid_input', `${out} does not end in .${format}`);
      const file = out ?? defaultStatementPath(rt.o.dataDir, st, format);
      const bytes = await writeStatement(db, st, format, file);
      return { file, format, bytes, statement: statementView(st) };
    },
  };
}
