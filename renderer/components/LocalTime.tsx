// A moment in local time on screen, with UTC on hover (a call's time is what Telnyx and the
// CSV reports give in UTC; the screen speaks the user's clock).
import { dateTimeText, utcText } from '../lib/format.ts';

export function LocalTime({ ms, text }: { ms: number | null | undefined; text?: (ms: number) => string }) {
  if (ms === null || ms === undefined) return <span className="muted">—</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={utcText(ms)}>
      {(text ?? dateTimeText)(ms)}
    </time>
  );
}
