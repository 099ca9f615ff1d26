// Throughput of the simulator's detail-records listing over loopback: N pages of 50 with
// undici (keep-alive pool, 8 requests in flight), JSON parsed on the client like an importer
// would. Prints pages/s and records/s; not an assertion.
//   node --import tsx test/bench/simulator-throughput.ts [--calls 1000000] [--pages N]
//        [--concurrency 8] [--in-process] [--type call-control]
// By default the simulator runs in a child process (startSimulatorProcess) so client and
// server each get a core.
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { startSimulator, startSimulatorProcess } from '../../electron/core/simulator/index.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000000' },
    pages: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    'in-process': { type: 'boolean', default: false },
    type: { type: 'string', default: 'call-control' },
  },
});
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const nowMs = Date.UTC(2030, 0, 1);

const t0 = performance.now();
const sim = values['in-process']
  ? await startSimulator({ calls, messages: 1000, warm: true, now: () => nowMs })
  : await startSimulatorProcess({ calls, messages: 1000, warm: true });
console.log(`simulator ready (${values['in-process'] ? 'in process' : 'child process'}, indexes built) in ${(performance.now() - t0).toFixed(0)} ms`);

const pool = new Pool(sim.url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
const headers = { authorization: `Bearer ${sim.apiKey}` };
const path = (page: number) =>
  `/v2/detail_records?filter[record_type]=${values.type}&filter[created_at][gte]=2020-01-01&filter[created_at][lt]=2030-01-01&sort=created_at&page[size]=50&page[number]=${page}`;

async function get(page: number): Promise<{ data: unknown[]; meta: { total_pages: number; total_results: number } }> {
  const res = await pool.request({ path: path(page), method: 'GET', headers });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

const first = await get(1);
const pages = values.pages ? Math.min(Number(values.pages), first.meta.total_pages) : first.meta.total_pages;
console.log(`${first.meta.total_results} ${values.type} records, fetching ${pages} pages of 50 with ${concurrency} in flight`);

let next = 1;
let records = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (;;) {
      const page = next++;
      if (page > pages) return;
      const got = (await get(page)).data.length;
      records += got;
    }
  }),
);
const secs = (performance.now() - start) / 1000;
console.log(`${pages} pages, ${records} records in ${secs.toFixed(2)} s: ${(pages / secs).toFixed(0)} pages/s, ${(records / secs).toFixed(0)} records/s`);
await pool.close();
await sim.close();
