// cost-desk backup [--out FILE] / cost-desk restore FILE: the same contract calls as
// Settings → Data, through dispatch (validated input and output, typed failures).
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Input, Method, Output } from '../../shared/contract.ts';
import { dispatch } from '../core/api/dispatch.ts';
import { AppFailure } from '../core/api/types.ts';
import type { Core } from '../core/index.ts';

type WithCore = <T>(fn: (core: Core) => Promise<T>) => Promise<T>;

/** A contract call that either answers or throws the AppFailure the core reported. */
export async function callCore<M extends Method>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const r = await dispatch(core.api, method, input);
  if (!r.ok) throw new AppFailure(r.error.code, r.error.message, r.error.action);
  return r.value as Output<M>;
}

const totals = (m: Array<{ amount: string; currency: string }>) => (m.length ? m.map((x) => `${x.amount} ${x.currency}`).join(', ') : 'none');

export function registerDataCommands(program: Command, withCore: WithCore, out: (text: string) => void): void {
  program
    .command('backup')
    .description('back up the ledger now (SQLite online backup, consistent while the app writes)')
    .option('--out <file>', 'write the backup here (a new file) instead of the backups folder')
    .action(async (o: { out?: string }) => {
      await withCore(async (core) => {
        const b = await callCore(core, 'data.backup', o.out ? { out: resolve(o.out) } : {});
        if (program.opts().json) out(JSON.stringify(b));
        else out(`backup ${b.file}: ${b.bytes} bytes, ${b.contents.calls} calls (booked ${totals(b.contents.bookedCalls)}), ${b.contents.messages} messages`);
      });
    });

  program
    .command('restore')
    .description('replace the ledger with a backup (checked first; the previous ledger is kept beside it)')
    .argument('<file>', 'a backup file made by Cost Desk')
    .action(async (file: string) => {
      await withCore(async (core) => {
        const r = await callCore(core, 'data.restore', { file: resolve(file) });
        if (program.opts().json) out(JSON.stringify(r));
        else out(`restored ${r.restoredFrom}: ${r.contents.calls} calls, ${r.contents.messages} messages${r.previousLedger ? `; the previous ledger is kept at ${r.previousLedger}` : ''}`);
      });
    });
}
