export { selectClient } from './select.ts';
export { createClient } from './client.ts';
export type { ApiClient, ConnectionState, Platform, RawTransport } from './types.ts';
