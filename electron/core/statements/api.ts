// The statements.* contract methods (the Statements screen, `cost-desk statement`).
import type { CoreApi } from '../api/types.ts';
import type { CoreRuntime } from '../runtime/runtime.ts';
import { defaultStatementPath, formatOfFile, statementFor, statementView, writeStatement, type StatementRequest } from './index.ts';
import type { Statement } from './model.ts';
import { checkWithTelnyx } from './telnyx-check.ts';
import { AppFailure } from '../api/types.ts';

/** The statement's figures, checked against Telnyx's usage report when asked. */
async function statementOf(rt: CoreRuntime, q: StatementRequest): Promise<Statement> {
  const s = rt.session();
  const st = statementFor(s.ledger.db, q, rt.o.clock.now());
  if (q.checkWithTelnyx) st.telnyxCheck = await checkWithTelnyx(st, s.client, rt.o.clock.now());
  return st;
}

export function statementMethods(rt: CoreRuntime): Pick<CoreApi, 'statements.get' | 'statements.export'> {
  return {
    'statements.get': async (q) => statementView(await statementOf(rt, q)),
    'statements.export': async ({ format, out, ...q }) => {
      const db = rt.session().ledger.db;
      const st = await statementOf(rt, q);
      if (out && formatOfFile(out) !== format) throw new AppFailure('invalid_input', `${out} does not end in .${format}`);
      const file = out ?? defaultStatementPath(rt.o.dataDir, st, format);
      const bytes = await writeStatement(db, st, format, file);
      return { file, format, bytes, statement: statementView(st) };
    },
  };
}
