// A search field that reports its text after the user pauses typing (server-side search).
import { useEffect, useId, useState } from 'react';

export function SearchBox({
  value,
  onChange,
  label,
  placeholder,
  testId,
}: {
  value: string;
  onChange(v: string): void;
  label: string;
  placeholder?: string;
  testId?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onChange(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  return (
    <div className="field field-search">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange(text.trim());
        }}
        maxLength={100}
        spellCheck={false}
        autoComplete="off"
        data-testid={testId}
      />
    </div>
  );
}
