import type { Mode } from '../../shared/contract.ts';

const TEXT: Record<Mode, string> = { demo: 'DEMO DATA', live: 'Live', unconfigured: 'Not set up' };

export function ModeBadge({ mode }: { mode: Mode }) {
  return (
    <span
      className={`mode-badge mode-${mode}`}
      data-testid="mode-badge"
      data-mode={mode}
      title={mode === 'demo' ? 'Everything shown is generated demo data, not your Telnyx account' : undefined}
    >
      {TEXT[mode]}
    </span>
  );
}
