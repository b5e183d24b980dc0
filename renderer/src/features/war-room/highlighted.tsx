// A search snippet with its matched words marked: the engine brackets them with control characters,
// turned here into <mark> elements (never into HTML from text).
import { highlightEnd, highlightStart } from '@shared/domain/search';

export function Highlighted({ text }: { text: string }) {
  const parts = text.split(highlightStart);
  return (
    <span>
      {parts[0]}
      {parts.slice(1).map((part, index) => {
        const [marked, rest = ''] = part.split(highlightEnd);
        return (
          <span key={index}>
            <mark>{marked}</mark>
            {rest}
          </span>
        );
      })}
    </span>
  );
}
