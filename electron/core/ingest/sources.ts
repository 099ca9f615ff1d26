// Adapters from the Telnyx client to what the importer and poller consume. Kept apart so
// ingest can be driven by any page source (the client over HTTP in the product and tests).
import type { RecordType } from '../../../shared/domain.ts';
import type { MessageRecord, TelnyxClient, VoiceRecord } from '../telnyx/index.ts';
import type { RecordPageSource } from './importer.ts';
import type { DeliveryPageSource } from './poller.ts';

export function clientRecordSource(client: TelnyxClient, concurrency = 6): RecordPageSource {
  return {
    async *pages({ recordType, from, to, skipPages, signal }) {
      for await (const p of client.detailRecords({ recordType: recordType as RecordType, from, to, skipPages, signal, concurrency })) {
        const rows = p.rows as unknown[];
        yield {
          page: p.page,
          totalPages: p.meta.totalPages,
          totalResults: p.meta.totalResults ?? 0,
          voice: recordType === 'messaging' ? [] : (rows as VoiceRecord[]),
          messages: recordType === 'messaging' ? (rows as MessageRecord[]) : [],
          rejected: p.rejected.length,
        };
      }
    },
  };
}

export function clientDeliverySource(client: TelnyxClient): DeliveryPageSource {
  return {
    async *pages({ eventTypes, startedGte, startedLte, signal }) {
      for await (const p of client.webhookDeliveries({ eventTypes, startedGte, startedLte, signal, concurrency: 2 })) {
        yield {
          rejected: p.rejected.length,
          rows: p.rows
            .filter((d) => d.occurredAt !== null)
            .map((d) => ({
              deliveryId: d.deliveryId,
              startedAt: d.startedAt,
              eventId: d.eventId,
              eventType: d.eventType,
              occurredAt: d.occurredAt!,
              payload: d.payload,
            })),
        };
      }
    },
  };
}
