// Standard output as the target of a report. process.stdout is never "finished" the way a
// file is (Node does not close fd 1 on end()), so a report written straight into it looked
// cut short every time. This Writable forwards each chunk to process.stdout, waits for its
// write callback (backpressure and ordering), and counts as finished once the last chunk was
// handed to the OS. When the reader goes away early (`| head -c 10`: EPIPE) the report fails
// with a StdoutClosedError that says so, instead of an unhandled 'error' crash.
import { Writable } from 'node:stream';

export class StdoutClosedError extends Error {
  override name = 'StdoutClosedError';
}

export function stdoutSink(stdout: NodeJS.WriteStream = process.stdout): Writable {
  let bytes = 0;
  let broken: Error | null = null;
  const closed = (err: NodeJS.ErrnoException) =>
    new StdoutClosedError(
      `standard output was closed after ${bytes} bytes, before the report was complete (${err.code ?? err.message}: whatever reads it stopped reading)`,
    );
  // Without a listener an EPIPE on fd 1 is an uncaught exception; the write callback below
  // carries the same error to the report.
  const onError = (err: NodeJS.ErrnoException) => {
    broken ??= closed(err);
  };
  stdout.on('error', onError);
  const detach = () => stdout.removeListener('error', onError);
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      if (broken) return callback(broken);
      stdout.write(chunk, (err) => {
        if (err) broken ??= closed(err);
        else bytes += Buffer.byteLength(chunk);
        callback(broken);
      });
    },
    final(callback) {
      detach();
      callback(broken);
    },
    destroy(err, callback) {
      detach();
      callback(err);
    },
  });
}
