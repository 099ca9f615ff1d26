// Period picker: presets in local time plus a custom from/to (both days inclusive on
// screen; `to` is exclusive in the value). `allowAll` adds "All time" (value null).
import { useId, useState } from 'react';
import { SelectField } from './SelectField.tsx';
import { PRESETS, choosePreset, endFromDateInput, fromDateInput, lastDayInput, toDateInput, type PresetId, type RangeChoice } from '../lib/ranges.ts';

interface Props {
  value: RangeChoice | null;
  onChange(value: RangeChoice | null): void;
  allowAll?: boolean;
  label?: string;
  testId?: string;
  /**
   * Told when the custom dates cannot make a range (and when they can again): the screen
   * then shows no rows at all rather than the last valid range's as if they were these.
   */
  onProblem?(problem: string | null): void;
}

export function DateRangeFilter({ value, onChange, allowAll, label = 'Period', testId, onProblem }: Props) {
  const id = useId();
  const [fromText, setFromText] = useState(() => (value ? toDateInput(value.from) : ''));
  const [toText, setToText] = useState(() => (value ? lastDayInput(value.to) : ''));
  const [problem, setProblemState] = useState<string | null>(null);
  const setProblem = (p: string | null) => {
    setProblemState(p);
    onProblem?.(p);
  };

  const selected: PresetId | 'all' = value ? value.preset : 'all';

  const applyCustom = (f: string, t: string) => {
    setFromText(f);
    setToText(t);
    const from = fromDateInput(f);
    const to = endFromDateInput(t);
    if (from === null || to === null) {
      setProblem('Enter both dates.');
      return;
    }
    if (from >= to) {
      setProblem('The start date must be on or before the end date.');
      return;
    }
    setProblem(null);
    onChange({ preset: 'custom', from, to });
  };

  const onPreset = (p: string) => {
    if (p === 'all') {
      setProblem(null);
      onChange(null);
    } else if (p === 'custom') {
      const base = value ?? choosePreset('last7');
      applyCustom(toDateInput(base.from), lastDayInput(base.to));
    } else {
      setProblem(null);
      const next = choosePreset(p as Exclude<PresetId, 'custom'>);
      setFromText(toDateInput(next.from));
      setToText(lastDayInput(next.to));
      onChange(next);
    }
  };

  return (
    <div className="range-filter" role="group" aria-label={label} data-testid={testId}>
      <SelectField
        id={`${id}-preset`}
        label={label}
        value={selected}
        onChange={onPreset}
        choices={allowAll ? [['all', 'All time'], ...PRESETS] : PRESETS}
        testId={testId ? `${testId}-preset` : undefined}
      />
      {selected === 'custom' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input
              id={`${id}-from`}
              type="date"
              value={fromText}
              onChange={(e) => applyCustom(e.target.value, toText)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-problem` : undefined}
              data-testid={testId ? `${testId}-from` : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To (inclusive)</label>
            <input
              id={`${id}-to`}
              type="date"
              value={toText}
              onChange={(e) => applyCustom(fromText, e.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-problem` : undefined}
              data-testid={testId ? `${testId}-to` : undefined}
            />
          </div>
        </>
      )}
      {problem && (
        <p id={`${id}-problem`} className="field-error" role="alert" data-testid={testId ? `${testId}-problem` : undefined}>
          {problem}
        </p>
      )}
    </div>
  );
}
