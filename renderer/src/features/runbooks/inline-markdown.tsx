// One line of runbook Markdown (a step title, a decision branch) rendered inline: `code`, emphasis
// and links keep their look, anything block-level is flattened to its text.
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

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
    <ReactMarkdown remarkPlugins={[remarkGfm]} components={components} allowedElements={inlineElements} unwrapDisallowed skipHtml>
      {text}
    </ReactMarkdown>
  );
}
