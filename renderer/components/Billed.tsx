// Billed time, the same words in the calls table and the call panel: what Telnyx billed
// when it has said so, else a dash (the call's own length is in the title, never passed
// off as billed time).
import { secondsText } from '../lib/format.ts';

export function billedView(call: { billedSec: number | null; callSec: number | null }): { text: string; title: string } {
  if (call.billedSec !== null) return { text: secondsText(call.billedSec), title: `Billed by Telnyx: ${call.billedSec} s` };
  const length = call.callSec !== null ? ` The call lasted ${secondsText(call.callSec)}.` : '';
  return { text: '—', title: `Telnyx has not reported billed time yet.${length}` };
}

export function Billed({ call }: { call: { billedSec: number | null; callSec: number | null } }) {
  const v = billedView(call);
  return (
    <span title={v.title} data-billed-sec={call.billedSec ?? ''}>
      {v.text}
    </span>
  );
}
