// A labelled <select> of fixed choices (value and words), in a toolbar or a form.
import { useId } from 'react';

export type Choices<T extends string> = ReadonlyArray<readonly [value: T, label: string]>;

/** A record of words per value as choices, in the record's order. */
export function choicesOf<T extends string>(words: Record<T, string>): Choices<T> {
  return Object.entries(words) as Array<[T, string]>;
}

export function SelectField<T extends string>(p: {
  id?: string;
  label: string;
  value: T;
  onChange(value: NoInfer<T>): void;
  choices: Choices<NoInfer<T>>;
  testId?: string;
}) {
  const ownId = useId();
  const id = p.id ?? ownId;
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      <select id={id} value={p.value} onChange={(e) => p.onChange(e.target.value as T)} data-testid={p.testId}>
        {p.choices.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
