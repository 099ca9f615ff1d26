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

/**
 * What the writer needs of a sealed page before it opens it: the call ids its voice records
 * name (sealed too: the main thread, which only hands pages on, never holds them), and how
 * many records it holds.
 */
export interface SealedFacts {
  sealedIds: Uint8Array;
  count: number;
}
export interface CallIdLists {
  legs: string[];
  controls: string[];
  sessions: string[];
}

/** A page (or a report's batch) as it crosses threads: its records sealed in one buffer (sealRecords), its facts beside it, the rest as it is. Move both buffers (transferablesOf). */
export type Wire<B extends Records> = Omit<B, 'voice' | 'messages'> & SealedFacts & { sealed: Uint8Array };
export type WirePage = Wire<RecordPage>;

/** The page (or batch) ready to cross threads: its sealed buffer and facts as received, or its records sealed now. */
export function wirePage<B extends Records>(p: B): Wire<B> {
  const meta: Record<string, unknown> = {};
  // Key by key: reading a sealed page's voice or messages would open it.
  for (const k of Object.keys(p)) if (k !== 'voice' && k !== 'messages') meta[k] = p[k as keyof B];
  const sealed = sealedRecords.get(p);
  const facts = sealed ? sealedFacts.get(p)! : factsOf(p);
  return { ...(meta as Omit<B, 'voice' | 'messages'>), ...facts, sealed: sealed ?? sealRecords(p) };
}

/** The buffers of a page on the wire, for postMessage's transferList (moved, not copied). */
export function transferablesOf(w: SealedFacts & { sealed: Uint8Array }): ArrayBuffer[] {
  return [w.sealed.buffer as ArrayBuffer, w.sealedIds.buffer as ArrayBuffer];
}

function factsOf(b: Records): SealedFacts {
  return { sealedIds: ownBuffer(serialize(idsOf(b))), count: b.voice.length + b.messages.length };
}

function idsOf(b: Records): CallIdLists {
  const ids: CallIdLists = { legs: [], controls: [], sessions: [] };
  for (const r of b.voice) {
    for (const id of r.legIds) ids.legs.push(id);
    for (const id of r.sessionIds) ids.sessions.push(id);
    if (r.controlId) ids.controls.push(r.controlId);
  }
  return ids;
}

/** Transfer moves a whole ArrayBuffer: the serializer's must hold these bytes alone. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? bytes : new Uint8Array(bytes);
}

/**
 * A page (or batch) received from another thread whose records stay sealed until something
 * reads them: on the way to the write worker nothing does (packChunk moves the buffer on); a
 * commit on this thread (no write worker) opens them once.
 */
export function openPage<B extends Records>(w: Wire<B>): B {
  const { sealed, sealedIds, count, ...meta } = w;
  let records: Records | null = null;
  const open = () => {
    openedPages.add(page);
    return (records ??= openRecords(sealed));
  };
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
  sealedFacts.set(page, { sealedIds, count });
  return page;
}

/** Pages and batches (from openPage) whose records are still their sealed buffer. */
const sealedRecords = new WeakMap<Records, Uint8Array>();
const sealedFacts = new WeakMap<Records, SealedFacts>();

/**
 * The batch's records for one pass over them. A sealed page's are opened now and not kept by
 * the page: they die with the pass, so a chunk's ~10,000 records are never all alive at once on
 * the write worker (a smaller heap, and young collections that find them dead instead of
 * copying them to the old generation). A page read through its getters keeps what they opened.
 */
export function takeRecords(b: Records): Records {
  const sealed = sealedRecords.get(b);
  return sealed && !openedPages.has(b) ? openRecords(sealed) : { voice: b.voice, messages: b.messages };
}
/** Pages whose getters opened their records (and keep them). */
const openedPages = new WeakSet<Records>();

/** The call ids a batch's voice records name, without opening a sealed page. */
export function callIdsOf(b: Records): CallIdLists {
  const facts = sealedFacts.get(b);
  return facts ? (deserialize(facts.sealedIds) as CallIdLists) : idsOf(b);
}

/** How many records a batch holds, without opening a sealed page. */
export function recordCountOf(b: Records): number {
  return sealedFacts.get(b)?.count ?? b.voice.length + b.messages.length;
}

/** A batch's records (raw rows as text, packRecords) serialized into a buffer of their own (transferable). */
export function sealRecords(b: Records): Uint8Array {
  const { voice, messages } = packRecords(b);
  return ownBuffer(serialize({ voice, messages }));
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
