// Markdown with GitHub's extensions, loaded on demand: the parser and its plugins are a large part
// of the renderer and most screens never show Markdown, so they stay out of the start-up bundle.
// While the chunk loads, the source text is shown as it is (private-use marks removed).
import { lazy, Suspense } from 'react';
import type { Options } from 'react-markdown';

const Renderer = lazy(() => import('./gfm-markdown'));

/** Private-use characters some callers thread through the parser as marks. */
const privateMarks = /\uE000\d+\uE001|[\uE000-\uF8FF]/g;

/** react-markdown's props, with remark-gfm always on. */
export type GfmMarkdownProps = Omit<Options, 'remarkPlugins'>;

export function GfmMarkdown(props: GfmMarkdownProps) {
  const source = typeof props.children === 'string' ? props.children.replace(privateMarks, '') : '';
  return (
    <Suspense fallback={<span className="md-loading">{source}</span>}>
      <Renderer {...props} />
    </Suspense>
  );
}

/** Starts loading the renderer ahead of need (when a screen that shows Markdown opens). */
export function preloadMarkdown(): void {
  void import('./gfm-markdown');
}
