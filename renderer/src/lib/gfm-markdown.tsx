// The Markdown renderer itself (react-markdown with GitHub's extensions), in its own chunk: it is
// loaded on demand by lazy-markdown.tsx, never at start-up.
import ReactMarkdown, { type Options } from 'react-markdown';
import remarkGfm from 'remark-gfm';

const plugins = [remarkGfm];

export default function GfmMarkdownRenderer(props: Omit<Options, 'remarkPlugins'>) {
  return <ReactMarkdown remarkPlugins={plugins} {...props} />;
}
