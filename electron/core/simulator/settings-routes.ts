// Account settings listings the doctor reads (openapi/spec3.yml
// #/components/schemas/CallControlApplication, #/components/schemas/Connection via
// paths./connections.get; messaging profiles' webhook_url): one Call Control application per
// distinct connection, one SIP connection per distinct SIP trunk, and one messaging profile per
// distinct profile id of the account's numbers, set up as `accountSetup` says.
import type { GeneratedAccount } from './account.ts';
import type { RouteResult } from './routes.ts';

const CREATED = '2025-12-01T00:00:00.000Z';
/** The spec's example outbound voice profile id. */
const OUTBOUND_VOICE_PROFILE = '1293384261075731499';

function listing(rows: Record<string, unknown>[]): RouteResult {
  return { status: 200, records: rows.length, body: { data: rows, meta: { page_number: 1, page_size: 250, total_pages: 1, total_results: rows.length } } };
}

export function listCallControlApplications(a: GeneratedAccount): RouteResult {
  const o = a.options;
  const ids = [...new Set(a.numbers.map((n) => n.connectionId))];
  return listing(
    ids.map((id, i) => ({
      record_type: 'call_control_application',
      id,
      application_name: `sim-app-${i}`,
      active: true,
      webhook_event_url: o.accountSetup.webhookUrls ? `https://hooks.example.com/telnyx/${i}` : '',
      webhook_event_failover_url: '',
      webhook_api_version: o.webhookApiVersion,
      call_cost_in_webhooks: o.accountSetup.callCostInWebhooks,
      created_at: CREATED,
      updated_at: CREATED,
    })),
  );
}

/**
 * GET /connections: every connection "irrespective of type" (Connection schema), so the Call
 * Control applications above appear again (connection_name is their application_name), beside
 * the SIP connections the account's sip-trunking calls use. A SIP connection has no webhook URL
 * by default (the spec's default is null).
 */
export function listConnections(a: GeneratedAccount): RouteResult {
  const o = a.options;
  const app = (id: string, i: number) => ({
    record_type: 'call_control_application',
    id,
    connection_name: `sim-app-${i}`,
    active: true,
    anchorsite_override: 'Latency',
    outbound_voice_profile_id: OUTBOUND_VOICE_PROFILE,
    webhook_event_url: o.accountSetup.webhookUrls ? `https://hooks.example.com/telnyx/${i}` : null,
    webhook_event_failover_url: '',
    webhook_api_version: o.webhookApiVersion,
    created_at: CREATED,
    updated_at: CREATED,
  });
  const trunk = (id: string, i: number) => ({
    record_type: i % 2 === 0 ? 'ip_connection' : 'credential_connection',
    id,
    connection_name: `sim-trunk-${i}`,
    active: true,
    anchorsite_override: 'Latency',
    outbound_voice_profile_id: OUTBOUND_VOICE_PROFILE,
    webhook_event_url: o.accountSetup.connectionWebhookUrls ? `https://hooks.example.com/sip/${i}` : null,
    webhook_event_failover_url: '',
    webhook_api_version: o.webhookApiVersion,
    created_at: CREATED,
    updated_at: CREATED,
  });
  const apps = [...new Set(a.numbers.map((n) => n.connectionId))].map(app);
  const trunks = [...new Set(a.numbers.map((n) => n.sipConnectionId))].map(trunk);
  return listing([...apps, ...trunks]);
}

export function listMessagingProfiles(a: GeneratedAccount): RouteResult {
  const o = a.options;
  const ids = [...new Set(a.numbers.map((n) => n.messagingProfileId))];
  return listing(
    ids.map((id, i) => ({
      record_type: 'messaging_profile',
      id,
      name: `sim-profile-${i}`,
      enabled: true,
      webhook_url: o.accountSetup.webhookUrls ? `https://hooks.example.com/sms/${i}` : null,
      webhook_api_version: '2',
      created_at: CREATED,
      updated_at: CREATED,
    })),
  );
}
