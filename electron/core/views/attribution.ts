// SQL clauses for the cost attribution filters (migration 7): a billing group, connection or
// messaging profile by id or name, a tag (calls.tags / messages.tags hold a JSON array), a
// country code as sent. Values are bound parameters, never interpolated.
export interface AttributionQuery {
  billingGroup?: string | undefined;
  connection?: string | undefined;
  profile?: string | undefined;
  tag?: string | undefined;
  country?: string | undefined;
}

export function attributionClauses(q: AttributionQuery, kind: 'calls' | 'messages', alias: string): { clauses: string[]; params: Record<string, unknown> } {
  const a = alias;
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (kind === 'calls' && q.billingGroup) {
    clauses.push(`(${a}billing_group_id = @attrBillingGroup OR ${a}billing_group_name = @attrBillingGroup)`);
    params.attrBillingGroup = q.billingGroup;
  }
  if (kind === 'calls' && q.connection) {
    clauses.push(`(${a}connection_id = @attrConnection OR ${a}connection_name = @attrConnection)`);
    params.attrConnection = q.connection;
  }
  if (kind === 'messages' && q.profile) {
    clauses.push(`(${a}messaging_profile_id = @attrProfile OR ${a}messaging_profile_name = @attrProfile)`);
    params.attrProfile = q.profile;
  }
  if (q.tag) {
    clauses.push(`${a}tags IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(${a}tags) WHERE json_each.value = @attrTag)`);
    params.attrTag = q.tag;
  }
  if (q.country) {
    clauses.push(`${a}country_code = @attrCountry`);
    params.attrCountry = q.country;
  }
  return { clauses, params };
}
