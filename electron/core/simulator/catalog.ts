// Listings over a generated account: one SortedIndex per record type and per event type,
// built lazily on first use, and the page queries the HTTP layer runs against them.
// An index ref is `itemIndex * 2 + copy` (copy 1 = the duplicate listing of a record, or the
// second delivery of an event), so a page is generated from refs alone.
import { FEATURE_RECORD_TYPES, type EventType } from '../../../shared/domain.ts';
import type { GeneratedAccount, SimRecordType } from './account.ts';
import { callCore, messageCore } from './core.ts';
import { recordFor, type JsonRecord } from './records.ts';
import { IndexBuilder, SortedIndex } from './sorted-index.ts';
import { CALL_EVENTS, MESSAGE_EVENTS, SIM_EVENT_TYPES, callEventOccurred, delivery, deliveryTiming, isCallEvent, messageEventOccurred } from './webhooks.ts';

export interface RecordQuery {
  type: SimRecordType;
  /** created_at >= gteMs (inclusive). */
  gteMs: number;
  /** created_at < ltMs (exclusive). */
  ltMs: number;
  /** Visibility: only rows with created_at <= nowMs exist yet. */
  nowMs: number;
  descending: boolean;
  offset: number;
  limit: number;
  /** Honoured id filters (field name -> value); empty = none. */
  idFilters?: ReadonlyArray<[string, string]>;
}

export interface DeliveryQuery {
  types: readonly EventType[];
  gteMs: number;
  /** started_at <= lteMs (inclusive, like Telnyx's [lte]). */
  lteMs: number;
  nowMs: number;
  descending: boolean;
  offset: number;
  limit: number;
}

export interface PageResult<T> {
  total: number;
  rows: T[];
}

const LEG_FIELDS = new Set(['call_leg_id', 'telnyx_leg_id', 'leg_id']);
const SESSION_FIELDS = new Set(['call_session_id', 'telnyx_session_id', 'session_id']);
export const ID_FILTER_FIELDS = new Set([...LEG_FIELDS, ...SESSION_FIELDS, 'id', 'uuid']);

export class Catalog {
  readonly account: GeneratedAccount;
  #records = new Map<SimRecordType, SortedIndex>();
  #deliveries = new Map<EventType, SortedIndex>();
  /** Merge positions after `offset` rows of a delivery query, so page walks are O(page). */
  #cursors = new Map<string, Int32Array>();

  constructor(account: GeneratedAccount) {
    this.account = account;
  }

  recordIndex(type: SimRecordType): SortedIndex {
    let idx = this.#records.get(type);
    if (!idx) {
      if (type === 'messaging') this.#buildMessageIndex();
      else this.#buildVoiceIndexes();
      idx = this.#records.get(type)!;
    }
    return idx;
  }

  deliveryIndex(type: EventType): SortedIndex {
    if (!this.#deliveries.has(type)) this.#buildDeliveryIndexes(isCallEvent(type));
    return this.#deliveries.get(type)!;
  }

  /** Build everything now (a benchmark does this before timing). */
  warm(): void {
    for (const t of ['call-control', 'sip-trunking', 'webrtc', 'messaging'] as const) this.recordIndex(t);
    for (const t of SIM_EVENT_TYPES) this.deliveryIndex(t);
  }

  #buildVoiceIndexes(): void {
    const a = this.account;
    const n = a.callCount;
    const cc = new IndexBuilder(n + (n >>> 4));
    const sip = new IndexBuilder((n >>> 3) + 16);
    const web = new IndexBuilder((n >>> 5) + 16);
    const rec = new IndexBuilder(16);
    for (let i = 0; i < n; i++) {
      const c = callCore(a.options, a.numbers, i);
      if (!c.recorded) continue;
      if (a.isRecorded(c)) rec.push(c.recordCreatedMs, i * 2);
      const main = c.webrtc ? web : cc;
      main.push(c.recordCreatedMs, i * 2);
      if (c.recordDuplicated) main.push(c.recordCreatedMs, i * 2 + 1);
      if (c.sip) {
        sip.push(c.sipCreatedMs, i * 2);
        if (c.sipDuplicated) sip.push(c.sipCreatedMs, i * 2 + 1);
      }
    }
    this.#records.set('call-control', cc.build());
    this.#records.set('sip-trunking', sip.build());
    this.#records.set('webrtc', web.build());
    // Recorded calls have a recording record beside their call.cost part; no other billed
    // feature is played (their listings answer empty pages).
    for (const t of FEATURE_RECORD_TYPES) this.#records.set(t, t === 'recording' ? rec.build() : new IndexBuilder(1).build());
  }

  #buildMessageIndex(): void {
    const a = this.account;
    const b = new IndexBuilder(a.messageCount + 16);
    for (let i = 0; i < a.messageCount; i++) {
      const m = messageCore(a.options, a.numbers, i);
      if (!m.recorded) continue;
      b.push(m.recordCreatedMs, i * 2);
      if (m.recordDuplicated) b.push(m.recordCreatedMs, i * 2 + 1);
    }
    this.#records.set('messaging', b.build());
  }

  /** All call event types in one pass over the calls (or all message ones over the messages). */
  #buildDeliveryIndexes(calls: boolean): void {
    const a = this.account;
    const types = calls ? CALL_EVENTS : MESSAGE_EVENTS;
    const n = calls ? a.callCount : a.messageCount;
    const builders = types.map(() => new IndexBuilder(n + 16));
    for (let i = 0; i < n; i++) {
      const c = calls ? callCore(a.options, a.numbers, i) : null;
      const m = calls ? null : messageCore(a.options, a.numbers, i);
      for (let k = 0; k < types.length; k++) {
        const t = types[k]!;
        const occurred = c ? callEventOccurred(a, c, t) : messageEventOccurred(m!, t);
        if (occurred === null) continue;
        const d = deliveryTiming(a, t, i, occurred);
        builders[k]!.push(d.startedMs[0], i * 2);
        if (d.duplicated) builders[k]!.push(d.startedMs[1], i * 2 + 1);
      }
    }
    types.forEach((t, k) => this.#deliveries.set(t, builders[k]!.build()));
  }

  // --- queries ------------------------------------------------------------------------------
  queryRecords(q: RecordQuery): PageResult<JsonRecord> {
    if (q.idFilters && q.idFilters.length > 0) return this.#queryRecordsById(q);
    const idx = this.recordIndex(q.type);
    const lo = idx.lowerBound(q.gteMs);
    const hi = Math.max(lo, Math.min(idx.lowerBound(q.ltMs), idx.upperBound(q.nowMs)));
    const total = hi - lo;
    const rows: JsonRecord[] = [];
    const start = Math.min(total, q.offset);
    const end = Math.min(total, q.offset + q.limit);
    for (let k = start; k < end; k++) {
      const pos = q.descending ? hi - 1 - k : lo + k;
      rows.push(recordFor(this.account, q.type, idx.refs[pos]! >>> 1));
    }
    return { total, rows };
  }

  /** With honorIdFilters: the rows of the one item the id belongs to that carry that id. */
  #queryRecordsById(q: RecordQuery): PageResult<JsonRecord> {
    const a = this.account;
    let item: number | null = null;
    for (const [, value] of q.idFilters!) {
      const i = q.type === 'messaging' ? a.findMessage(value) : a.findCall(value);
      if (i === null || (item !== null && i !== item)) return { total: 0, rows: [] };
      item = i;
    }
    if (item === null) return { total: 0, rows: [] };
    const idx = this.recordIndex(q.type);
    const matches: number[] = [];
    // The item's entries sit at its created_at; find them by binary search on that time.
    const probe = recordFor(a, q.type, item);
    const created = Date.parse(String(probe.created_at));
    for (let pos = idx.lowerBound(created); pos < idx.length && idx.times[pos] === created; pos++) {
      if (idx.refs[pos]! >>> 1 === item) matches.push(pos);
    }
    const ok = q.idFilters!.every(([field, value]) => carries(probe, field, value));
    const visible = ok ? matches.filter((pos) => inWindow(idx.times[pos]!, q)) : [];
    if (q.descending) visible.reverse();
    const rows = visible.slice(q.offset, q.offset + q.limit).map(() => recordFor(a, q.type, item));
    return { total: visible.length, rows };
  }

  queryDeliveries(q: DeliveryQuery): PageResult<Record<string, unknown>> {
    const types = [...new Set(q.types)].sort((x, y) => SIM_EVENT_TYPES.indexOf(x) - SIM_EVENT_TYPES.indexOf(y));
    const lists = types.map((t) => {
      const idx = this.deliveryIndex(t);
      const lo = idx.lowerBound(q.gteMs);
      const hi = Math.max(lo, idx.upperBound(Math.min(q.lteMs, q.nowMs)));
      return { t, idx, lo, hi };
    });
    const total = lists.reduce((s, l) => s + (l.hi - l.lo), 0);
    const rows: Record<string, unknown>[] = [];
    if (q.offset >= total || q.limit <= 0) return { total, rows };
    // Positions in each list: next to take (ascending) or one past it (descending).
    const sig = `${q.descending ? 'd' : 'a'}|${lists.map((l) => `${l.t}:${l.lo}:${l.hi}`).join(',')}`;
    let pos = this.#cursors.get(`${sig}|${q.offset}`);
    let skip = 0;
    if (pos) pos = pos.slice();
    else {
      pos = Int32Array.from(lists, (l) => (q.descending ? l.hi : l.lo));
      skip = q.offset;
    }
    const take = Math.min(q.limit, total - q.offset);
    for (let k = 0; k < skip + take; k++) {
      let best = -1;
      let bestT = 0;
      let bestR = 0;
      for (let j = 0; j < lists.length; j++) {
        const l = lists[j]!;
        const p = q.descending ? pos[j]! - 1 : pos[j]!;
        if (q.descending ? p < l.lo : p >= l.hi) continue;
        const t = l.idx.times[p]!;
        const r = l.idx.refs[p]!;
        // Total order (time, type, ref); ties between types go to the earlier type.
        // Lists are visited in type order, so on a time tie ascending keeps the earlier list
        // and descending takes the later one.
        const better = best < 0 || (q.descending ? t >= bestT : t < bestT);
        if (better) {
          best = j;
          bestT = t;
          bestR = r;
        }
      }
      if (best < 0) break;
      pos[best] = pos[best]! + (q.descending ? -1 : 1);
      if (k >= skip) rows.push(delivery(this.account, lists[best]!.t, bestR >>> 1, bestR & 1));
    }
    if (this.#cursors.size > 256) this.#cursors.clear();
    this.#cursors.set(`${sig}|${q.offset + take}`, pos);
    return { total, rows };
  }
}

function inWindow(t: number, q: RecordQuery): boolean {
  return t >= q.gteMs && t < q.ltMs && t <= q.nowMs;
}

function carries(rec: JsonRecord, field: string, value: string): boolean {
  const v = value.toLowerCase();
  if (LEG_FIELDS.has(field)) return rec.telnyx_leg_id === v || rec.call_leg_id === v;
  if (SESSION_FIELDS.has(field)) return rec.telnyx_session_id === v || rec.call_session_id === v;
  if (field === 'id') return rec.id === v;
  if (field === 'uuid') return rec.uuid === v;
  return true;
}
