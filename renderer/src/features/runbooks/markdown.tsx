// Runbook text rendered by a Markdown renderer (react-markdown with GitHub's extensions): raw HTML
// in a runbook is dropped, never rendered; links open outside the app; every code block gets a
// copy button, because commands are copied into a terminal, never run by Holdfast.
import type { ComponentProps } from 'react';
import type { Components } from 'react-markdown';
import { GfmMarkdown } from '../../lib/lazy-markdown';
import { CopyButton } from '../directory/copy-button';
import './runbooks.css';

function CodeBlock(props: ComponentProps<'pre'>) {
  const { children, node: _node, ...rest } = props as ComponentProps<'pre'> & { node?: unknown };
  // The <code> child holds the command text.
  const child: unknown = Array.isArray(children) ? children[0] : children;
  const text = typeof child === 'object' && child !== null && 'props' in child ? (child.props as { children?: unknown }).children : '';
  const code = typeof text === 'string' ? text : '';
  return (
    <div className="md-code" data-testid="md-code">
      <pre {...rest}>{children}</pre>
      <CopyButton value={code.replace(/\n$/, '')} what="command" />
    </div>
  );
}

const components: Components = {
  pre: CodeBlock,
  a: ({ node: _node, href, children, ...rest }) => (
    <a {...rest} href={href} target="_blank" rel="noreferrer">
      {children}
    </a>
  ),
};

/** Renders Markdown from the library. `compact` tightens spacing for steps inside lists. */
export function Markdown({ text, compact = false }: { text: string; compact?: boolean }) {
  if (!text.trim()) return null;
  return (
    <div className={`markdown${compact ? ' markdown-compact' : ''}`}>
      <GfmMarkdown components={components} skipHtml>
        {text}
      </GfmMarkdown>
    </div>
  );
}
