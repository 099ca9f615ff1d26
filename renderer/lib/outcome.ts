// The words for a refetch outcome: "Updated 0.015 → 0.018 USD", "Unchanged",
// "Not available yet — next retry at 12:03:05", "Not billable", or the error and its action.
import type { RefetchOutcome, Result } from '../../shared/contract.ts';
import { timeText, humanize } from './format.ts';
import { amountText, moneyText } from './money.ts';

export interface OutcomeText {
  kind: RefetchOutcome['kind'];
  text: string;
  detail?: string;
}

export function refetchOutcomeText(res: Result<RefetchOutcome>): OutcomeText {
  if (!res.ok) return { kind: 'error', text: res.error.message, ...(res.error.action ? { detail: `What to do: ${res.error.action}` } : {}) };
  const o = res.value;
  switch (o.kind) {
    case 'updated': {
      const text =
        o.old && o.old.currency === o.new.currency
          ? `Updated ${amountText(o.old.amount, o.old.currency)} → ${amountText(o.new.amount, o.new.currency)} ${o.new.currency}`
          : `Updated ${o.old ? moneyText(o.old) : 'no cost'} → ${moneyText(o.new)}`;
      return { kind: o.kind, text, detail: `Source: ${humanize(o.source)}` };
    }
    case 'unchanged':
      return { kind: o.kind, text: 'Unchanged', ...(o.cost ? { detail: `Cost stays ${moneyText(o.cost)}` } : {}) };
    case 'not_available_yet':
      return {
        kind: o.kind,
        text: o.nextRetryAt !== null ? `Not available yet — next retry at ${timeText(o.nextRetryAt)}` : 'Not available yet',
        detail: o.message,
      };
    case 'not_billable':
      return { kind: o.kind, text: 'Not billable', detail: o.message };
    case 'error':
      return { kind: o.kind, text: o.error.message, ...(o.error.action ? { detail: `What to do: ${o.error.action}` } : {}) };
  }
}
