// Progress for long CLI runs: a live bar on a terminal, plain timestamped lines otherwise
// (cron logs, pipes), so the same command reads well in both.
import cliProgress from 'cli-progress';
import type { ImportProgress } from '../../shared/contract.ts';

export interface ProgressReporter {
  update(p: ImportProgress): void;
  done(p: ImportProgress): void;
}

const eta = (ms: number | null) => (ms === null ? '?' : ms < 60_000 ? `${Math.ceil(ms / 1000)}s` : `${Math.round(ms / 60_000)}m`);

export function importProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'import |{bar}| {value}/{total} pages | {records} records | ETA {eta}', stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const total = p.pagesTotal ?? Math.max(p.pagesDone, 1);
        if (!started) {
          bar.start(total, p.pagesDone, { records: p.records, eta: eta(p.etaMs) });
          started = true;
        }
        bar.setTotal(total);
        bar.update(p.pagesDone, { records: p.records, eta: eta(p.etaMs) });
      },
      done() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 2000) return; // a line every 2 s is plenty for a log
      last = now;
      stream.write(
        `${new Date(now).toISOString()} import ${p.importId}: ${p.pagesDone}/${p.pagesTotal ?? '?'} pages, ${p.records} records, ETA ${eta(p.etaMs)}\n`,
      );
    },
    done() {},
  };
}
