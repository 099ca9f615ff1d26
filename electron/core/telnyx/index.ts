// Public API of the Telnyx client.
export {
  createTelnyxClient,
  DETAIL_RECORDS_MAX_PAGE_SIZE,
  WEBHOOK_DELIVERIES_MAX_PAGE_SIZE,
  type TelnyxClient,
  type TelnyxClientOptions,
  type RecordFor,
  type DetailRecordsPageOptions,
  type DetailRecordsPage,
  type DetailRecordsOptions,
  type WebhookDeliveriesPageOptions,
  type WebhookDeliveriesPage,
  type WebhookDeliveriesOptions,
  type FindCallRecordsOptions,
  type FindCallRecordsResult,
  type FoundCallRecord,
} from './client.ts';
export { TelnyxError, isTelnyxError, sanitizePath, RETRYABLE_KINDS, type TelnyxErrorKind, type TelnyxApiError } from './errors.ts';
export { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, DEFAULT_CONNECTIONS, backoffDelay, rateLimitWaitMs, type RetryPolicy, type TimeoutOptions } from './http.ts';
export { pagesInOrder, type PagedOptions } from './paging.ts';
export {
  normalizeVoiceRecord,
  normalizeMessageRecord,
  normalizeWebhookDelivery,
  normalizeRows,
  parseEnvelope,
  parseTimestamp,
  LEG_ID_KEYS,
  SESSION_ID_KEYS,
  type VoiceRecord,
  type VoiceRecordType,
  type MessageRecord,
  type WebhookDelivery,
  type RejectedRow,
  type PageMeta,
} from './schemas.ts';
export {
  batchReportsApi,
  downloadReport,
  reportRequestBody,
  parseReport as parseBatchReport,
  reportState,
  ReportDownloadError,
  REPORT_PREFIXES,
  type BatchReport,
  type BatchReportsApi,
  type ReportKind,
  type ReportState,
  type ReportDownload,
} from './batch-reports.ts';
