// Drill-down from the Overview: a number's row opens that number's calls or messages (same
// period, other filters cleared), and the screen it lands on offers the way back. The address
// changes (#/overview -> #/calls), so the browser's Back works too.
import type { ReactNode } from 'react';
import { setSticky, useStickyState } from '../hooks/useStickyState.ts';

type Target = 'calls' | 'messages';
const DRILL_KEY = 'drill.from';
interface Drill {
  screen: Target;
  number: string;
}

/** Sets the target screen's filters to the number alone (call before navigating there). */
export function drillTo(screen: Target, number: string): void {
  setSticky(`${screen}.number`, number);
  setSticky(`${screen}.search`, '');
  if (screen === 'calls') setSticky('calls.badge', '');
  else setSticky('messages.costStatus', '');
  setSticky<Drill>(DRILL_KEY, { screen, number });
}

/** A link that opens `screen` filtered to `number`. */
export function DrillLink({ screen, number, children, label, testId }: { screen: Target; number: string; children: ReactNode; label: string; testId: string }) {
  return (
    <a href={`#/${screen}`} className="drill-link" aria-label={label} title={label} onClick={() => drillTo(screen, number)} data-testid={testId}>
      {children}
    </a>
  );
}

/** "← Overview · Calls of +1555…": shown while the screen still shows what the Overview opened. */
export function DrillBack({ screen, number }: { screen: Target; number: string }) {
  const [drill, setDrill] = useStickyState<Drill | null>(DRILL_KEY, () => null);
  if (!drill || drill.screen !== screen || drill.number !== number) return null;
  return (
    <p className="drill-back" data-testid="drill-back">
      <a href="#/overview" onClick={() => setDrill(null)}>
        ← Back to Overview
      </a>
      <span className="muted">
        {' '}
        · {screen === 'calls' ? 'Calls' : 'Messages'} of <span className="mono">{number}</span> in the Overview's period
      </span>
    </p>
  );
}
