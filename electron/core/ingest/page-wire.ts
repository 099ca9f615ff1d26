// A page of records as it crosses threads (fetch worker -> main thread -> write worker): its
// records sealed in one buffer that is moved (postMessage's transferList), never copied, and
// opened only by the thread that writes them. Structured clone keeps bigints and plain
// objects but not classes, so each record's RawJson travels as its text.
import { deserialize, serialize } from 'node:v8';
import type { RecordBatch } from './bulk-write.ts';
import type { RecordPage } from './importer.ts';
import { RawJson, stringify } from './raw-json.ts';

/** Records of a page or of a report's batch: what is sealed. */
type Records = Pick<RecordBatch, 'voice' | 'messages'>;

/** A page (or a report's batch) as it crosses threads: its records sealed in one buffer (sealRecords), the rest as it is. */
export type Wire<B extends Records> = Omit<B, 'voice' | 'messages'> & { sealed: Uint8Array };
export type WirePage = Wire<RecordPage>;

/** The page (or batch) ready to cross threads: its sealed buffer as received, or its records sealed now. */
export function wirePage<B extends Records>(p: B): Wire<B> {
  const meta: Record<string, unknown> = {};
  // Key by key: reading a sealed page's voice or messages would open it.
  for (const k of Object.keys(p)) if (k !== 'voice' && k !== 'messages') meta[k] = p[k as keyof B];
  return { ...(meta as Omit<B, 'voice' | 'messages'>), sealed: sealedRecords.get(p) ?? sealRecords(p) };
}

/**
 * A page (or batch) received from another thread whose records stay sealed until something
 * reads them: on the way to the write worker nothing does (packChunk moves the buffer on); a
 * commit on this thread (no write worker) opens them once.
 */
export function openPage<B extends Records>(w: Wire<B>): B {
  const { sealed, ...meta } = w;
  let records: Records | null = null;
  const open = () => (records ??= openRecords(sealed));
  const page = {
    ...meta,
    get voice() {
      return open().voice;
    },
    get messages() {
      return open().messages;
    },
  } as unknown as B;
  sealedRecords.set(page, sealed);
  return page;
}

/** Pages and batches (from openPage) whose records are still their sealed buffer. */
const sealedRecords = new WeakMap<Records, Uint8Array>();

/** A batch's records (raw rows as text, packRecords) serialized into a buffer of their own (transferable). */
export function sealRecords(b: Records): Uint8Array {
  const { voice, messages } = packRecords(b);
  const bytes = serialize({ voice, messages });
  // Transfer moves a whole ArrayBuffer: the serializer's must hold these bytes alone.
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? bytes : new Uint8Array(bytes);
}

function openRecords(sealed: Uint8Array): Records {
  // A page whose buffer was moved to the write worker cannot be read here any more.
  if (sealed.buffer.byteLength === 0) throw new Error("a page's records were read after they were handed to the write worker");
  const b = deserialize(sealed) as Records;
  unpackRecords(b);
  return b;
}

/** A batch's records with each raw row as its JSON text (what crosses postMessage). */
export function packRecords<B extends Records>(b: B): B {
  const text = <R extends { raw: unknown }>(r: R): R => ({ ...r, raw: stringify(r.raw) });
  return { ...b, voice: b.voice.map(text), messages: b.messages.map(text) };
}

/** packRecords undone, in place: each raw text back into RawJson. */
export function unpackRecords(b: Records): void {
  for (const r of b.voice) r.raw = new RawJson(r.raw as unknown as string) as unknown as Record<string, unknown>;
  for (const r of b.messages) r.raw = new RawJson(r.raw as unknown as string) as unknown as Record<string, unknown>;
}
