// One message in full, from its row: who, when, parts, rate, cost and carrier fee, where the
// cost came from and where it stands. (The contract has no per-message cost history yet.)
import { useEffect, useRef } from 'react';
import type { MessageRow } from '../../shared/contract.ts';
import { Badge } from '../components/Badge.tsx';
import { LocalTime } from '../components/LocalTime.tsx';
import { Money } from '../components/Money.tsx';
import { humanize, intText, sourceText } from '../lib/format.ts';

/** "Outbound SMS to +4915799058866", "Inbound MMS from +17734773139". */
export function messageTitle(m: MessageRow): string {
  const kind = m.messageType ?? 'message';
  return m.direction === 'inbound' ? `Inbound ${kind} from ${m.otherNumber}` : `Outbound ${kind} to ${m.otherNumber}`;
}

export function MessageDetailPanel({ message: m, onClose }: { message: MessageRow; onClose(): void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, [m.id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="detail-panel" aria-labelledby="message-detail-title" data-testid="message-detail">
      <div className="detail-head">
        <h2 id="message-detail-title" ref={headingRef} tabIndex={-1} data-testid="message-detail-title">
          {messageTitle(m)}
        </h2>
        <button type="button" className="btn btn-icon" onClick={onClose} aria-label="Close message details" data-testid="message-detail-close">
          ✕
        </button>
      </div>
      <div className="detail-badge-row">
        <Badge value={m.costStatus} testId="message-detail-badge" />
        <span className="muted">
          {m.direction === 'inbound' ? 'to' : 'from'} <span className="mono">{m.ourNumber}</span> · <LocalTime ms={m.sentAt} />
        </span>
      </div>

      <section aria-labelledby="md-cost">
        <h3 id="md-cost">Cost</h3>
        <dl className="kv">
          <dt>Cost</dt>
          <dd data-testid="message-detail-cost">
            <Money value={m.cost} />
          </dd>
          <dt>Carrier fee</dt>
          <dd data-testid="message-detail-fee">
            <Money value={m.carrierFee} />
          </dd>
          <dt>Parts</dt>
          <dd data-testid="message-detail-parts">{m.parts === null ? '—' : intText(m.parts)}</dd>
          <dt>Rate</dt>
          <dd data-testid="message-detail-rate">{m.rate !== null && m.cost ? `${m.rate} ${m.cost.currency} per part` : (m.rate ?? '—')}</dd>
          <dt>Source</dt>
          <dd data-testid="message-detail-source">{sourceText(m.costSource)}</dd>
        </dl>
      </section>

      <section aria-labelledby="md-delivery">
        <h3 id="md-delivery">Delivery</h3>
        <dl className="kv">
          <dt>Status</dt>
          <dd data-testid="message-detail-status">{humanize(m.status)}</dd>
          <dt>Sent</dt>
          <dd>
            <LocalTime ms={m.sentAt} />
          </dd>
          <dt>Type</dt>
          <dd>{m.messageType ?? '—'}</dd>
        </dl>
      </section>

      <section aria-labelledby="md-ids">
        <h3 id="md-ids">Identifiers</h3>
        <dl className="kv kv-ids">
          <dt>Message id</dt>
          <dd className="mono break" data-testid="message-detail-id">
            {m.id}
          </dd>
        </dl>
      </section>
    </aside>
  );
}
