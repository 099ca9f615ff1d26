// Account settings listings the doctor reads (openapi/spec3.yml
// #/components/schemas/CallControlApplication; messaging profiles' webhook_url): one Call
// Control application per distinct connection and one messaging profile per distinct
// profile id of the account's numbers, set up as `accountSetup` says.
import type { GeneratedAccount } from './account.ts';
import type { RouteResult } from './routes.ts';

const CREATED = '2025-12-01T00:00:00.000Z';

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
