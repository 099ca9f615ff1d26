// A table's column headings, declared as a list: plain text, or right-aligned (counts and
// amounts, as their cells are) with an optional title that explains the word.
import type { ReactNode } from 'react';

export interface HeadCell {
  label: ReactNode;
  right?: boolean;
  title?: string;
}

/** A heading over numbers or amounts: right-aligned like its cells. */
export const right = (label: string, title?: string): HeadCell => ({ label, right: true, title });

/** A heading only screen readers read (a column of buttons needs no visible word). */
export const unseen = (label: string): HeadCell => ({ label: <span className="sr-only">{label}</span> });

export function TableHead({ columns }: { columns: ReadonlyArray<string | HeadCell> }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => {
          const cell = typeof c === 'string' ? { label: c } : c;
          return (
            <th key={i} scope="col" className={cell.right ? 'align-right' : undefined} title={cell.title}>
              {cell.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
