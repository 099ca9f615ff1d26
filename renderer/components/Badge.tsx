// Status words with a colour, never colour alone: the label is always the visible text.
const LABELS: Record<string, string> = {
  open: 'Open',
  estimated: 'Estimated',
  pending: 'Pending',
  running: 'Running',
  exact: 'Exact',
  partial: 'Partial',
  completed: 'Completed',
  completed_with_problems: 'Completed with problems',
  failed: 'Failed',
  not_billable: 'Not billable',
  no_record: 'No record',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

const TONES: Record<string, string> = {
  open: 'info',
  estimated: 'warn',
  pending: 'info',
  running: 'info',
  exact: 'ok',
  partial: 'warn',
  completed: 'ok',
  completed_with_problems: 'bad',
  failed: 'bad',
  not_billable: 'muted',
  no_record: 'muted',
  cancelled: 'muted',
  interrupted: 'warn',
};

export function badgeLabel(value: string): string {
  return LABELS[value] ?? value.replace(/_/g, ' ');
}

/** Statuses as the choices of a filter: each value with its badge's word. */
export function badgeChoices<T extends string>(values: readonly T[]): Array<readonly [T, string]> {
  return values.map((v) => [v, badgeLabel(v)] as const);
}

export function Badge({ value, testId, title }: { value: string; testId?: string; title?: string | undefined }) {
  return (
    <span className={`badge badge-${TONES[value] ?? 'muted'}`} data-badge={value} data-testid={testId} title={title}>
      {badgeLabel(value)}
    </span>
  );
}
