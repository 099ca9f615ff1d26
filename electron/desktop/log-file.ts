// The desktop app's log: a packaged GUI app may have no stderr at all (Windows: the first
// write fails with EBADF), so in Electron pino writes here instead, to main.log under
// app.getPath('logs'). Writes are synchronous (a line is on disk before a crash) and the file
// rotates by size: main.log -> main.1.log -> ... -> main.<keep>.log, the oldest dropped.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface RotatingLog {
  readonly file: string;
  write(line: string): boolean;
  close(): void;
}

export function openRotatingLog(dir: string, o: { name?: string; maxBytes?: number; keep?: number } = {}): RotatingLog {
  const name = o.name ?? 'main';
  const maxBytes = o.maxBytes ?? 5 * 1024 * 1024;
  const keep = o.keep ?? 3;
  const file = join(dir, `${name}.log`);
  const rotated = (n: number) => join(dir, `${name}.${n}.log`);
  mkdirSync(dir, { recursive: true });
  let fd = openSync(file, 'a', 0o600);
  let size = statSync(file).size;

  function rotate(): void {
    closeSync(fd);
    rmSync(rotated(keep), { force: true });
    for (let n = keep - 1; n >= 1; n--) if (existsSync(rotated(n))) renameSync(rotated(n), rotated(n + 1));
    renameSync(file, rotated(1));
    fd = openSync(file, 'a', 0o600);
    size = 0;
  }

  return {
    file,
    write(line) {
      const bytes = Buffer.byteLength(line);
      // A line is never split across files; a file that already has lines rotates first.
      if (size > 0 && size + bytes > maxBytes) rotate();
      writeSync(fd, line);
      size += bytes;
      return true;
    },
    close() {
      closeSync(fd);
    },
  };
}
