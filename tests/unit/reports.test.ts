// The pure parts of the reports: a review body's Markdown made safe HTML, the op chains checked
// with every chain's first break reported, role changes read from role ops, and the timeline CSV.
import { describe, expect, it } from 'vitest';
import { verifyOpChains } from '../../electron/engine/core/chain';
import { markdownHtml } from '../../electron/engine/reports/markdown-html';
import { timelineCsv } from '../../electron/engine/reports/reports';
import { roleChanges } from '../../electron/engine/reports/role-changes';
import type { TimelineEntry } from '@shared/domain/timeline';
import { encodeHlc } from '@shared/hlc';
import { genesisHash, hashOp, type Op } from '@shared/ops';
import { timelineOps } from '../support/ops';

describe('markdownHtml', () => {
  it('renders the usual Markdown with headings below the report’s own', () => {
    expect(markdownHtml('# What happened\n\nDeploy **4512** _broke_ `payments`.\n\n1. one\n2. two\n')).toBe(
      '<h3>What happened</h3>\n<p>Deploy <strong>4512</strong> <em>broke</em> <code>payments</code>.</p>\n<ol><li>one</li>\n<li>two</li>\n</ol>\n',
    );
  });

  it('keeps raw HTML, script and unsafe links as text', () => {
    const html = markdownHtml(
      '<script>alert(1)</script>\n\nA <img src=x onerror="alert(2)"> and [a](javascript:alert(3)) and [b](https://example.org/?a=1&b="2")\n\n```\n<b>code</b>\n```\n',
    );
    expect(html).not.toMatch(/<(script|img|b>)/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
    expect(html).toContain(' and a and ');
    expect(html).toContain('<a href="https://example.org/?a=1&amp;b=&quot;2&quot;">b</a>');
    expect(html).toContain('<pre><code>&lt;b&gt;code&lt;/b&gt;</code></pre>');
  });

  it('renders GFM tables with their alignment, task lists and strikethrough', () => {
    const html = markdownHtml('| a | b |\n|:--|--:|\n| 1 | <2> |\n\n- [x] done\n- [ ] open\n\n~~gone~~\n');
    expect(html).toContain(
      '<table class="md"><thead><tr><th style="text-align: left">a</th><th style="text-align: right">b</th></tr></thead><tbody><tr><td style="text-align: left">1</td><td style="text-align: right">&lt;2&gt;</td></tr></tbody></table>',
    );
    expect(html).toContain('☑ ');
    expect(html).toContain('☐ ');
    expect(html).toContain('<del>gone</del>');
  });
});

describe('verifyOpChains', () => {
  it('passes intact chains of several devices', () => {
    const ops = [...timelineOps(4, { deviceId: '00000000000000aa' }), ...timelineOps(3, { deviceId: '00000000000000bb' })];
    expect(verifyOpChains(ops)).toEqual({ chains: 2, ops: 7, breaks: [] });
  });

  it('reports the first break of every chain, with its position', () => {
    const a = timelineOps(4, { deviceId: '00000000000000aa' });
    const b = timelineOps(4, { deviceId: '00000000000000bb' });
    const altered = { ...a[1], fields: { ...a[1].fields, text: 'changed' } };
    const report = verifyOpChains([a[0], altered, a[2], a[3], b[0], b[1], b[3]]);
    expect(report.breaks).toEqual([
      {
        deviceId: '00000000000000aa',
        streamId: a[0].streamId,
        position: 2,
        opId: a[1].opId,
        reason: 'its content does not match its hash: the record was altered after it was written',
      },
      {
        deviceId: '00000000000000bb',
        streamId: b[0].streamId,
        position: 3,
        opId: b[3].opId,
        reason: 'it does not chain to record 2: a record is missing, reordered or was inserted',
      },
    ]);
    expect(verifyOpChains(a.slice(1)).breaks[0]).toMatchObject({ position: 1, reason: expect.stringContaining('does not start from the genesis hash') });
  });
});

describe('roleChanges', () => {
  const deviceId = '00000000000000aa';
  let ms = 1_795_000_000_000;
  let prev = genesisHash;
  const roleOp = (actorId: string, fields: Record<string, string | number | null>): Op => {
    ms += 60_000;
    const unsigned = {
      opId: `0190${String(ms)}`,
      hlc: encodeHlc({ ms, counter: 0, deviceId }),
      streamId: 'incident:x',
      actorId,
      deviceId,
      entity: 'incident_role' as const,
      rowId: 'x/commander',
      kind: 'set' as const,
      fields: { incidentId: 'x', role: 'commander', label: '', ...fields },
      prevHash: prev,
    };
    const op = { ...unsigned, hash: hashOp(unsigned) };
    prev = op.hash;
    return op;
  };
  const seat = (holderId: string | null, offeredTo: string | null = null, offeredBy: string | null = null) => ({
    holderId,
    since: ms,
    offeredTo,
    offeredBy,
    offeredAt: offeredTo ? ms : null,
  });

  it('reads takes, offers, declines, acceptances, reassignments and releases from the role ops', () => {
    const ops = [
      roleOp('ana', seat('ana')),
      roleOp('ana', seat('ana', 'ben', 'ana')),
      roleOp('ben', seat('ana')),
      roleOp('ana', seat('ana', 'cy', 'ana')),
      roleOp('ana', seat('ana')),
      roleOp('ana', seat('ana', 'ben', 'ana')),
      roleOp('ben', seat('ben')),
      roleOp('dee', seat('eve')),
      roleOp('eve', seat(null)),
    ];
    expect(roleChanges([...ops].reverse()).map((c) => [c.change, c.from, c.to, c.by, c.description])).toEqual([
      ['took', null, 'ana', 'ana', 'ana took Incident commander'],
      ['offered', 'ana', 'ben', 'ana', 'ana offered Incident commander to ben'],
      ['offer declined', 'ana', 'ben', 'ben', 'ben declined Incident commander offered by ana'],
      ['offered', 'ana', 'cy', 'ana', 'ana offered Incident commander to cy'],
      ['offer withdrawn', 'ana', 'cy', 'ana', 'ana withdrew the offer of Incident commander to cy'],
      ['offered', 'ana', 'ben', 'ana', 'ana offered Incident commander to ben'],
      ['accepted handoff', 'ana', 'ben', 'ben', 'ben accepted Incident commander from ana'],
      ['reassigned', 'ben', 'eve', 'dee', 'dee reassigned Incident commander from ben to eve'],
      ['stepped down', 'eve', null, 'eve', 'eve stepped down as Incident commander'],
    ]);
  });
});

describe('timelineCsv', () => {
  it('writes every entry with a formula guard, CRLF line ends and ISO times', () => {
    const entry = (over: Partial<TimelineEntry>): TimelineEntry => ({
      id: 'e1',
      incidentId: 'x',
      kind: 'note',
      text: '',
      eventAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      recordedAt: Date.UTC(2026, 0, 2, 3, 4, 6),
      authorId: 'ana',
      corrects: null,
      correctedBy: [],
      isPinned: false,
      isPending: false,
      refusal: null,
      source: null,
      ...over,
    });
    const file = timelineCsv({
      incident: { id: 'x/../y' },
      timeline: [
        entry({ text: '=HYPERLINK("http://x")', correctedBy: ['e2'], isPinned: true }),
        entry({ id: 'e2', text: 'line 1\nline, 2', corrects: 'e1', source: 'ci' }),
      ],
    });
    expect(file.fileName).toBe('incident-x____y-timeline.csv');
    expect(file.text).toBe(
      'number,entry_id,event_time_utc,recorded_time_utc,kind,author,source,text,corrects,corrected_by,is_pinned\r\n' +
        `1,e1,2026-01-02T03:04:05.000Z,2026-01-02T03:04:06.000Z,note,ana,,"'=HYPERLINK(""http://x"")",,e2,true\r\n` +
        '2,e2,2026-01-02T03:04:05.000Z,2026-01-02T03:04:06.000Z,note,ana,ci,"line 1\nline, 2",e1,,false\r\n',
    );
  });
});
