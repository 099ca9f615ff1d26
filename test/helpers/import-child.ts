// A child process that imports a date range into a ledger file and is then killed with
// SIGKILL by the crash test. Usage:
//   node --import tsx test/helpers/import-child.ts <baseUrl> <apiKey> <ledgerFile> <fromMs> <toMs> <types,comma,separated> [pagesPerCommit]
// Prints one JSON line when it is done (it normally never gets there).
import { runImport } from '../../electron/core/ingest/importer.ts';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { startWriteWorker } from '../../electron/core/ingest/write-worker.ts';
import { createTelnyxClient } from '../../electron/core/telnyx/index.ts';
import { systemClock } from '../../electron/core/util/clock.ts';
import type { RecordType } from '../../shared/domain.ts';

const [baseUrl, apiKey, file, from, to, types, perCommit] = process.argv.slice(2);
if (!baseUrl || !apiKey || !file || !from || !to || !types) {
  process.stderr.write('usage: import-child.ts <baseUrl> <apiKey> <ledgerFile> <fromMs> <toMs> <types>\n');
  process.exit(2);
}
const ledger = openLedgerFile(file);
const client = createTelnyxClient({ baseUrl, apiKey });
// IMPORT_CHILD_WRITER=1: chunks committed by the write worker (ingest-crash.test.ts kills it mid-commit).
const writer = process.env.IMPORT_CHILD_WRITER ? startWriteWorker({ file }) : undefined;
const final = await runImport({
  ledger,
  // IMPORT_CHILD_REPORTS=1: long ranges through batch reports (report-import.test.ts kills it mid-CSV).
  source: clientRecordSource(
    client,
    4,
    { attempts: 5, baseMs: 2, maxMs: 10 },
    process.env.IMPORT_CHILD_REPORTS ? { minRangeMs: 86_400_000, pollMs: 5, batchRows: 20, partRows: 7 } : undefined,
  ),
  clock: systemClock,
  from: Number(from),
  to: Number(to),
  recordTypes: types.split(',') as RecordType[],
  owner: `child-${process.pid}`,
  ...(perCommit ? { pagesPerCommit: Number(perCommit) } : {}),
  ...(writer ? { writer } : {}),
});
await writer?.close();
process.stdout.write(`${JSON.stringify({ done: true, status: final.status, pages: final.pagesDone })}\n`);
await client.close();
ledger.close();
