// "Which of our numbers": the list comes from numbers.list; empty value = all numbers.
import { useId } from 'react';
import { useQuery } from '../hooks/useQuery.ts';

export function NumberSelect({ value, onChange, label = 'Number', testId }: { value: string; onChange(value: string): void; label?: string; testId?: string }) {
  const id = useId();
  const numbers = useQuery('numbers.list', {});
  const list = numbers.data?.numbers ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">All numbers</option>
        {value && !list.includes(value) && <option value={value}>{value}</option>}
        {list.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}
