// Estimated vs booked (exact where known) cost per day, one chart per currency (amounts in
// different currencies never share an axis). Loaded lazily: recharts is the biggest
// dependency and only this screen needs it. The plotted heights are Numbers (a picture
// needs them); every figure a person reads — axis ticks aside — is the exact string.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { totalText } from '../../lib/money.ts';
import { parseMoney } from '../../../shared/money.ts';

function safeNanos(amount: string): bigint {
  try {
    return parseMoney(amount);
  } catch {
    return 0n;
  }
}

export interface DailyPointView {
  day: string;
  currency: string;
  estimated: string;
  exact: string;
  booked: string;
}

interface Datum {
  day: string;
  estimated: number;
  booked: number;
  estimatedText: string;
  bookedText: string;
  exactText: string;
}

const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return dayFmt.format(new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

interface TooltipProps {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: unknown }>;
  label?: unknown;
  currency: string;
}

function ChartTooltip({ active, payload, label, currency }: TooltipProps) {
  const d = payload?.[0]?.payload as Datum | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-day">{dayLabel(String(label))}</p>
      <p>
        Estimated: {d.estimatedText} {currency}
      </p>
      <p>
        Exact known: {d.exactText} {currency}
      </p>
      <p>
        Booked: {d.bookedText} {currency}
      </p>
    </div>
  );
}

export default function DailyChart({ points }: { points: DailyPointView[] }) {
  // Biggest spend first (exact bigint totals), then alphabetical.
  const totals = new Map<string, bigint>();
  for (const p of points) totals.set(p.currency, (totals.get(p.currency) ?? 0n) + safeNanos(p.booked));
  const currencies = [...totals.keys()].sort((a, b) => {
    const d = (totals.get(b) ?? 0n) - (totals.get(a) ?? 0n);
    return d > 0n ? 1 : d < 0n ? -1 : a.localeCompare(b);
  });
  return (
    <div className="charts">
      {currencies.map((currency) => {
        const data: Datum[] = points
          .filter((p) => p.currency === currency)
          .sort((a, b) => a.day.localeCompare(b.day))
          .map((p) => ({
            day: p.day,
            estimated: Number(p.estimated),
            booked: Number(p.booked),
            estimatedText: totalText(p.estimated, currency),
            bookedText: totalText(p.booked, currency),
            exactText: totalText(p.exact, currency),
          }));
        return (
          <figure className="chart" key={currency} data-testid={`daily-chart-${currency}`}>
            <figcaption>Cost per day in {currency}: estimated vs booked</figcaption>
            <div
              className="chart-box"
              role="img"
              aria-label={`Bar chart of estimated and booked cost per day in ${currency}; the same figures are in the daily table below.`}
            >
              <ResponsiveContainer width="100%" height={240}>
                <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} barGap={2} accessibilityLayer={false}>
                  <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
                  <XAxis dataKey="day" tickFormatter={dayLabel} stroke="var(--text-muted)" fontSize={12} minTickGap={12} />
                  <YAxis stroke="var(--text-muted)" fontSize={12} width={64} tickFormatter={(v: number) => String(v)} />
                  <Tooltip
                    content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={p.label} currency={currency} />}
                    cursor={{ fill: 'var(--chart-cursor)' }}
                  />
                  <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
                  <Bar dataKey="estimated" name={`Estimated (${currency})`} fill="var(--chart-est)" maxBarSize={44} isAnimationActive={false} />
                  <Bar dataKey="booked" name={`Booked, exact where known (${currency})`} fill="var(--chart-booked)" maxBarSize={44} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </figure>
        );
      })}
    </div>
  );
}
