// The update as it would go out now (the engine's rendering of the draft): the title, and the body
// as Markdown, with every lint finding's excerpt and every unfilled {{placeholder}} marked where it
// stands. Findings are positioned in `${title}\n\n${body}`; the body's marks are carried through the
// Markdown parser as private-use characters and turned into <mark> elements afterwards, so a
// finding inside bold text or a bullet is marked there (never by building HTML from text).
import type { ReactNode } from 'react';
import type { Components } from 'react-markdown';
import { GfmMarkdown } from '../../lib/lazy-markdown';
import type { LintFinding } from '@shared/domain/comms';
import '../runbooks/runbooks.css';

const open = '\uE000';
const close = '\uE001';
const end = '\uE002';
const sentinel = /\uE000(\d+)\uE001|\uE002/g;

/** Stretches of `text` (from offset `from`) covered by findings, each with the first finding covering it. */
function segments(text: string, from: number, findings: LintFinding[]): { start: number; end: number; finding: number }[] {
  const to = from + text.length;
  const cuts = new Set<number>([0, text.length]);
  for (const f of findings) {
    if (f.end <= from || f.start >= to) continue;
    cuts.add(Math.max(f.start, from) - from);
    cuts.add(Math.min(f.end, to) - from);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: { start: number; end: number; finding: number }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [a, b] = [sorted[i], sorted[i + 1]];
    const finding = findings.findIndex((f) => f.start - from <= a && f.end - from >= b);
    if (finding >= 0 && b > a) out.push({ start: a, end: b, finding });
  }
  return out;
}

function withSentinels(text: string, from: number, findings: LintFinding[]): string {
  let out = text;
  for (const s of segments(text, from, findings).reverse()) {
    out = `${out.slice(0, s.start)}${open}${s.finding}${close}${out.slice(s.start, s.end)}${end}${out.slice(s.end)}`;
  }
  return out;
}

interface HastNode {
  type: string;
  value?: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

/** A rehype plugin: text between the sentinels becomes <mark data-finding=n>, across element boundaries. */
function markFindings(findings: LintFinding[]) {
  return () => (tree: unknown) => {
    let current: number | null = null;
    const markOf = (finding: number, value: string): HastNode => ({
      type: 'element',
      tagName: 'mark',
      properties: { className: ['lint-mark', `lint-${findings[finding]?.rule ?? 'finding'}`], dataFinding: String(finding), title: findings[finding]?.message ?? '' },
      children: [{ type: 'text', value }],
    });
    const visit = (node: HastNode) => {
      if (!node.children) return;
      const children: HastNode[] = [];
      for (const child of node.children) {
        if (child.type !== 'text' || typeof child.value !== 'string') {
          visit(child);
          children.push(child);
          continue;
        }
        let last = 0;
        const push = (value: string) => {
          if (value === '') return;
          children.push(current === null ? { type: 'text', value } : markOf(current, value));
        };
        for (const match of child.value.matchAll(sentinel)) {
          push(child.value.slice(last, match.index));
          current = match[1] === undefined ? null : Number(match[1]);
          last = match.index + match[0].length;
        }
        push(child.value.slice(last));
      }
      node.children = children;
    };
    visit(tree as HastNode);
  };
}

const components: Components = {
  a: ({ node: _node, href, children, ...rest }) => (
    <a {...rest} href={href} target="_blank" rel="noreferrer">
      {children}
    </a>
  ),
};

/** Plain text (the title) with the findings marked. */
function MarkedText({ text, from, findings }: { text: string; from: number; findings: LintFinding[] }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const s of segments(text, from, findings)) {
    if (s.start > last) parts.push(text.slice(last, s.start));
    const f = findings[s.finding];
    parts.push(
      <mark key={s.start} className={`lint-mark lint-${f.rule}`} data-finding={s.finding} title={f.message}>
        {text.slice(s.start, s.end)}
      </mark>,
    );
    last = s.end;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

export function UpdatePreview({ title, body, findings }: { title: string; body: string; findings: LintFinding[] }) {
  const bodyFrom = title.length + 2;
  return (
    <div className="update-preview" data-testid="update-preview">
      <h3 className="update-preview-title" data-testid="preview-title">
        {title.trim() === '' ? <span className="muted">(no title)</span> : <MarkedText text={title} from={0} findings={findings} />}
      </h3>
      <div className="markdown update-preview-body" data-testid="preview-body">
        {body.trim() === '' ? (
          <p className="muted">(no text)</p>
        ) : (
          <GfmMarkdown rehypePlugins={[markFindings(findings)]} components={components} skipHtml>
            {withSentinels(body, bodyFrom, findings)}
          </GfmMarkdown>
        )}
      </div>
    </div>
  );
}

/** A published update's body, as Markdown without marks. */
export function UpdateBody({ body }: { body: string }) {
  return (
    <div className="markdown update-body">
      <GfmMarkdown components={components} skipHtml>
        {body}
      </GfmMarkdown>
    </div>
  );
}
