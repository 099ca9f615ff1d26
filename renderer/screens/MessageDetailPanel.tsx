// One message in full, from its row: who, when, parts, rate, cost and carrier fee, where the
// cost came from and where it stands. (The contract has no per-message cost history yet.)
import type { MessageRow } from '../../shared/contract.ts';
import { Badge } from '../components/Badge.tsx';
import { DetailPanel, DetailSection, Field } from '../components/DetailPanel.tsx';
import { LocalTime } from '../components/LocalTime.tsx';
import { Money } from '../components/Money.tsx';
import { humanize, intText, sourceText } from '../lib/format.ts';

/** "Outbound SMS to +4915799058866", "Inbound MMS from +17734773139". */
export function messageTitle(m: MessageRow): string {
  const kind = m.messageType ?? 'message';
  return m.direction === 'inbound' ? `Inbound ${kind} from ${m.otherNumber}` : `Outbound ${kind} to ${m.otherNumber}`;
}

export function MessageDetailPanel({ message: m, onClose }: { message: MessageRow; onClose(): void }) {
  return (
    <DetailPanel kind="message" title={messageTitle(m)} focusKey={m.id} onClose={onClose}>
      <div className="detail-badge-row">
        <Badge value={m.costStatus} testId="message-detail-badge" />
        <span className="muted">
          {m.direction === 'inbound' ? 'to' : 'from'} <span className="mono">{m.ourNumber}</span> · <LocalTime ms={m.sentAt} />
        </span>
      </div>

      <DetailSection id="md-cost" title="Cost">
        <dl className="kv">
          <Field label="Cost" testId="message-detail-cost">
            <Money value={m.cost} />
          </Field>
          <Field label="Carrier fee" testId="message-detail-fee">
            <Money value={m.carrierFee} />
          </Field>
          <Field label="Parts" testId="message-detail-parts">
            {m.parts === null ? '—' : intText(m.parts)}
          </Field>
          <Field label="Rate" testId="message-detail-rate">
            {m.rate !== null && m.cost ? `${m.rate} ${m.cost.currency} per part` : (m.rate ?? '—')}
          </Field>
          <Field label="Source" testId="message-detail-source">
            {sourceText(m.costSource)}
          </Field>
        </dl>
      </DetailSection>

      <DetailSection id="md-delivery" title="Delivery">
        <dl className="kv">
          <Field label="Status" testId="message-detail-status">
            {humanize(m.status)}
          </Field>
          <Field label="Sent">
            <LocalTime ms={m.sentAt} />
          </Field>
          <Field label="Type">{m.messageType ?? '—'}</Field>
        </dl>
      </DetailSection>

      <DetailSection id="md-ids" title="Identifiers">
        <dl className="kv kv-ids">
          <Field label="Message id" className="mono break" testId="message-detail-id">
            {m.id}
          </Field>
        </dl>
      </DetailSection>
    </DetailPanel>
  );
}
