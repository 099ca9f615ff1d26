// The top of the Overview: for the chosen period and per currency, what is booked, how much of
// the call costs is already exact, the estimate still open, the variance and the top numbers,
// the top destinations (destination country, calls and messages, from overview.groups), each
// against the period before (none for "All time").
import type { GroupSummary, NumberSummary } from '../../../shared/contract.ts';
import { formatMoney } from '../../../shared/money.ts';
import { Money } from '../../components/Money.tsx';
import { TERMS } from '../../lib/terms.ts';
import { changeText, glances, shareText, topDestinations, type Glance } from './glance.ts';

interface Props {
  rows: readonly NumberSummary[];
  /** The period before's rows; null for "All time" (no period before). */
  previous: readonly NumberSummary[] | null;
  /** The period's totals by destination country (null while loading). */
  destinations: readonly GroupSummary[] | null;
  previousDestinations: readonly GroupSummary[] | null;
}

const money = (nanos: bigint, currency: string) => ({ amount: formatMoney(nanos), currency });

/** "+12.5% vs period before"; nothing for "All time" (`compare` false). */
function Change({ now, before, compare, testId }: { now: bigint; before: bigint | undefined; compare: boolean; testId: string }) {
  if (!compare) return null;
  const text = changeText(now, before);
  return (
    <span className="muted glance-change" data-testid={testId}>
      {text === null ? '(nothing the period before)' : `${text}% vs the period before`}
    </span>
  );
}

interface Places {
  now: readonly GroupSummary[] | null;
  before: readonly GroupSummary[] | null;
}

function Card({ g, prev, compare, places }: { g: Glance; prev: Glance | undefined; compare: boolean; places: Places }) {
  const share = shareText(g.exact, g.exact + g.open);
  const prevTop = new Map(prev?.top.map((t) => [t.number, t.booked]));
  return (
    <section className="card glance" aria-labelledby={`glance-${g.currency}`} data-testid={`glance-${g.currency}`}>
      <h3 id={`glance-${g.currency}`}>{g.currency}</h3>
      <dl className="kv glance-figures">
        <dt title={TERMS.booked}>Booked</dt>
        <dd data-testid="glance-booked">
          <Money value={money(g.booked, g.currency)} total /> <Change now={g.booked} before={prev?.booked} compare={compare} testId="glance-booked-change" />
        </dd>
        <dt title={TERMS.exact}>Already exact</dt>
        <dd data-testid="glance-exact-share">{share === null ? 'n/a' : `${share}% of call costs`}</dd>
        <dt title={TERMS.estimated}>Estimate still open</dt>
        <dd data-testid="glance-open">
          <Money value={money(g.open, g.currency)} total /> <Change now={g.open} before={prev?.open} compare={compare} testId="glance-open-change" />
        </dd>
        <dt title={TERMS.variance}>Variance</dt>
        <dd data-testid="glance-variance">
          <Money value={g.variance === null ? null : money(g.variance, g.currency)} total variance />
        </dd>
      </dl>
      <h4>Top numbers</h4>
      <ol className="glance-top" data-testid="glance-top">
        {g.top.map((t) => (
          <li key={t.number} data-number={t.number}>
            <span className="mono">{t.number}</span> <Money value={money(t.booked, g.currency)} total />{' '}
            <Change now={t.booked} before={prevTop.get(t.number)} compare={compare} testId="glance-top-change" />
          </li>
        ))}
      </ol>
      <Destinations currency={g.currency} places={places} compare={compare} />
    </section>
  );
}

export function FirstGlance({ rows, previous, destinations, previousDestinations }: Props) {
  const now = glances(rows);
  const before = previous ? new Map(glances(previous).map((g) => [g.currency, g])) : null;
  if (now.length === 0) return null;
  return (
    <div className="glances" data-testid="first-glance">
      {now.map((g) => (
        <Card key={g.currency} g={g} prev={before?.get(g.currency)} compare={before !== null} places={{ now: destinations, before: previousDestinations }} />
      ))}
    </div>
  );
}

/** The top destinations in this currency by booked cost (calls and messages), against the period before. */
function Destinations({ currency, places, compare }: { currency: string; places: Places; compare: boolean }) {
  if (places.now === null) return <p className="muted">Loading destinations…</p>;
  const top = topDestinations(places.now, currency);
  const before = new Map(topDestinations(places.before ?? [], currency, Infinity).map((d) => [d.key, d.booked]));
  return (
    <>
      <h4 title="By the destination country Telnyx sent with each call or message">Top destinations</h4>
      {top.length === 0 ? (
        <p className="muted" data-testid="glance-destinations-none">
          No destination country known.
        </p>
      ) : (
        <ol className="glance-top" data-testid="glance-destinations">
          {top.map((d) => (
            <li key={d.key} data-country={d.key}>
              <span>{d.label}</span> <Money value={money(d.booked, currency)} total />{' '}
              <Change now={d.booked} before={before.get(d.key)} compare={compare} testId="glance-destination-change" />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
