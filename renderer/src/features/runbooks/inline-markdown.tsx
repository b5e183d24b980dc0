// One line of runbook Markdown (a step title, a decision branch) rendered inline: `code`, emphasis
// and links keep their look, anything block-level is flattened to its text.
import type { Components } from 'react-markdown';
import { GfmMarkdown } from '../../lib/lazy-markdown';

const inlineElements = ['p', 'code', 'em', 'strong', 'del', 'a'];

const components: Components = {
  p: ({ children }) => <>{children}</>,
  a: ({ node: _node, href, children, ...rest }) => (
    <a {...rest} href={href} target="_blank" rel="noreferrer">
      {children}
    </a>
  ),
};

export function InlineMarkdown({ text }: { text: string }) {
  return (
    <GfmMarkdown components={components} allowedElements={inlineElements} unwrapDisallowed skipHtml>
      {text}
    </GfmMarkdown>
  );
}
