// A list as a table in the shared look (`incident-table` in styles.css): column heads, then rows;
// and a row that opens what it stands for when clicked or on Enter.
import type { ReactNode } from 'react';

/** A column head: its text, or its content with a class (e.g. `num` for a right-aligned column). */
export type Column = string | { head: ReactNode; className: string };

/** `columns` may hold `false` for a column not shown (e.g. `showIncident && 'Incident'`). */
export function DataTable({ className, testId, columns, children }: { className?: string; testId: string; columns: (Column | false)[]; children: ReactNode }) {
  return (
    <table className={className ? `incident-table ${className}` : 'incident-table'} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((column, index) =>
            column === false ? null : typeof column === 'string' ? (
              <th key={index} scope="col">
                {column}
              </th>
            ) : (
              <th key={index} scope="col" className={column.className}>
                {column.head}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

type DataAttributes = { [name: `data-${string}`]: string | number | boolean | undefined };

/** A row that is a link: focusable, opened by a click or Enter. `className` adds to `row-link`. */
export function LinkRow({ onOpen, className, children, ...data }: { onOpen: () => void; className?: string; children: ReactNode } & DataAttributes) {
  return (
    <tr
      className={className ? `row-link ${className}` : 'row-link'}
      tabIndex={0}
      {...data}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen();
      }}
    >
      {children}
    </tr>
  );
}
