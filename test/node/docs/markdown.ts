/**
 * Just enough of CommonMark (and GitHub's rendering) to check the project's docs: ATX and setext
 * headings with GitHub's anchors, inline, image, reference and HTML links, code spans and fenced
 * code blocks. Indented code blocks are read as text (the docs use fences).
 */

export interface Heading {
  level: number;
  /** The heading as rendered text: code spans' content kept, link and emphasis marks removed. */
  text: string;
  /** GitHub's anchor for it (duplicates numbered). */
  slug: string;
  line: number;
}

export interface Link {
  /** The destination as written (angle brackets and title removed). */
  target: string;
  line: number;
  image: boolean;
}

/** A code span, or one line of a fenced code block, with what surrounds it. */
export interface Code {
  text: string;
  fenced: boolean;
  line: number;
  /** The source line the span starts on (a fenced line: the line itself). */
  lineText: string;
  /** The texts of the headings above it, outermost first. */
  headings: string[];
}

export interface MarkdownDoc {
  headings: Heading[];
  /** Every anchor a link may name: heading slugs and HTML `id`/`name` attributes. */
  anchors: Set<string>;
  links: Link[];
  code: Code[];
}

// Everything a GitHub anchor drops: what is not a letter, mark, number, connector (`_`), space or '-'.
const NOT_IN_SLUG = /[^\p{L}\p{M}\p{N}\p{Pc} -]/gu;

/** GitHub's anchor for one heading text (github-slugger without the duplicate count). */
export function githubSlug(text: string): string {
  return text.toLowerCase().replace(NOT_IN_SLUG, '').replace(/ /g, '-');
}

/** Numbers repeated slugs as GitHub does: `a`, `a-1`, `a-2` (and `a-1-1` when `a-1` was a heading of its own). */
export class SlugCounter {
  private readonly occurrences = new Map<string, number>();

  next(text: string): string {
    const original = githubSlug(text);
    let slug = original;
    while (this.occurrences.has(slug)) {
      const count = (this.occurrences.get(original) ?? 0) + 1;
      this.occurrences.set(original, count);
      slug = `${original}-${count}`;
    }
    this.occurrences.set(slug, 0);
    return slug;
  }
}

interface SourceLine {
  text: string;
  line: number;
}

interface Span {
  start: number;
  end: number;
  content: string;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
// Lines that start a block of their own, so a setext underline below them is not one.
const NOT_PARAGRAPH = /^ {0,3}(?:#|>|[-*+][ \t]|\d{1,9}[.)][ \t]|\||<|$)/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:[ \t]*(<[^>]*>|\S+)/;
const HTML_LINK = /<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']*)["']/gi;
const HTML_ANCHOR = /<[a-z][^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi;

/** The code spans of a block (CommonMark: equal backtick runs; a run without its match is text). */
function codeSpans(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\' && text[i + 1] === '`') {
      i += 2;
      continue;
    }
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let run = i;
    while (text[run] === '`') run++;
    const width = run - i;
    let close = run;
    let found = -1;
    while (close < text.length) {
      const next = text.indexOf('`', close);
      if (next < 0) break;
      let end = next;
      while (text[end] === '`') end++;
      if (end - next === width) {
        found = next;
        break;
      }
      close = end;
    }
    if (found < 0) {
      i = run;
      continue;
    }
    let content = text.slice(run, found).replace(/\n/g, ' ');
    if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
    spans.push({ start: i, end: found + width, content });
    i = found + width;
  }
  return spans;
}

/** The text with its code spans blanked out (newlines kept, so offsets still give lines). */
function withoutSpans(text: string, spans: Span[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + text.slice(span.start, span.end).replace(/[^\n]/g, ' ');
    at = span.end;
  }
  return out + text.slice(at);
}

/** The destination of an inline link whose `(` is at `open`, or undefined when it is not one. */
function destination(text: string, open: number): string | undefined {
  let i = open + 1;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n') i++;
  if (text[i] === '<') {
    const close = text.indexOf('>', i);
    return close < 0 ? undefined : text.slice(i + 1, close);
  }
  let depth = 0;
  let out = '';
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      out += text[++i];
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') break;
    if (c === '(') depth++;
    if (c === ')') {
      if (depth === 0) break;
      depth--;
    }
    out += c;
  }
  return out;
}

/** Inline links and images of a block (code spans already blanked). */
function inlineLinks(text: string): { target: string; offset: number; image: boolean }[] {
  const links: { target: string; offset: number; image: boolean }[] = [];
  for (let close = text.indexOf(']('); close >= 0; close = text.indexOf('](', close + 1)) {
    if (text[close - 1] === '\\') continue;
    let depth = 0;
    let open = -1;
    for (let i = close - 1; i >= 0; i--) {
      if (text[i] === ']' && text[i - 1] !== '\\') depth++;
      if (text[i] === '[' && text[i - 1] !== '\\') {
        if (depth === 0) {
          open = i;
          break;
        }
        depth--;
      }
    }
    if (open < 0) continue;
    const target = destination(text, close + 1);
    if (target !== undefined && target !== '') links.push({ target, offset: open, image: text[open - 1] === '!' });
  }
  return links;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** A heading's source as the text GitHub renders (which its anchor is made from). */
export function renderedHeadingText(source: string): string {
  const spans = codeSpans(source);
  let out = '';
  let at = 0;
  const inline = (part: string): string =>
    part
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/(^|[^\p{L}\p{N}])_+(\S.*?)_+(?=[^\p{L}\p{N}_]|$)/gu, '$1$2')
      .replace(/\\([!-/:-@[-`{-~])/g, '$1')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity: string, name: string) => {
        if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
        if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
        return ENTITIES[name.toLowerCase()] ?? entity;
      });
  for (const span of spans) {
    out += inline(source.slice(at, span.start)) + span.content;
    at = span.end;
  }
  return (out + inline(source.slice(at))).trim();
}

/** Reads a Markdown file's headings, anchors, links and code. */
export function parseMarkdown(source: string): MarkdownDoc {
  const lines = source.split(/\r?\n/);
  const doc: MarkdownDoc = { headings: [], anchors: new Set(), links: [], code: [] };
  const slugs = new SlugCounter();
  const path: { level: number; text: string }[] = [];
  let block: SourceLine[] = [];
  let fence: { char: string; width: number } | undefined;

  const headingTexts = (): string[] => path.map((heading) => heading.text);
  const addHeading = (level: number, source: string, line: number): void => {
    const text = renderedHeadingText(source);
    const slug = slugs.next(text);
    doc.headings.push({ level, text, slug, line });
    doc.anchors.add(slug);
    while (path.length > 0 && (path[path.length - 1] as { level: number }).level >= level) path.pop();
    path.push({ level, text });
    for (const span of codeSpans(source)) doc.code.push({ text: span.content, fenced: false, line, lineText: source, headings: headingTexts() });
  };
  const flush = (): void => {
    if (block.length === 0) return;
    const first = (block[0] as SourceLine).line;
    const text = block.map((entry) => entry.text).join('\n');
    const lineAt = (offset: number): number => first + (text.slice(0, offset).match(/\n/g)?.length ?? 0);
    const spans = codeSpans(text);
    for (const span of spans) {
      const line = lineAt(span.start);
      doc.code.push({ text: span.content, fenced: false, line, lineText: (block[line - first] as SourceLine).text, headings: headingTexts() });
    }
    const prose = withoutSpans(text, spans);
    for (const link of inlineLinks(prose)) doc.links.push({ target: link.target, line: lineAt(link.offset), image: link.image });
    for (const match of prose.matchAll(HTML_LINK)) doc.links.push({ target: match[1] as string, line: lineAt(match.index), image: /^<img/i.test(match[0]) });
    for (const match of prose.matchAll(HTML_ANCHOR)) doc.anchors.add(match[1] as string);
    block.forEach((entry, index) => {
      const definition = REFERENCE_DEFINITION.exec(prose.split('\n')[index] ?? '');
      if (definition) doc.links.push({ target: (definition[1] as string).replace(/^<|>$/g, ''), line: entry.line, image: false });
    });
    block = [];
  };

  lines.forEach((text, index) => {
    const line = index + 1;
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.char === '`' ? '`' : '~'}{${fence.width},}[ \\t]*$`);
      if (close.test(text)) fence = undefined;
      else doc.code.push({ text, fenced: true, line, lineText: text, headings: headingTexts() });
      return;
    }
    const open = FENCE_OPEN.exec(text);
    if (open && !(open[1]?.startsWith('`') && open[2]?.includes('`'))) {
      flush();
      fence = { char: (open[1] as string)[0] as string, width: (open[1] as string).length };
      return;
    }
    const atx = ATX_HEADING.exec(text);
    if (atx) {
      flush();
      addHeading((atx[1] as string).length, atx[2] ?? '', line);
      return;
    }
    const underline = SETEXT_UNDERLINE.exec(text);
    if (underline && block.length > 0 && block.every((entry) => !NOT_PARAGRAPH.test(entry.text))) {
      const title = block.map((entry) => entry.text.trim()).join(' ');
      const first = (block[0] as SourceLine).line;
      block = [];
      addHeading((underline[1] as string).startsWith('=') ? 1 : 2, title, first);
      return;
    }
    if (text.trim() === '') {
      flush();
      return;
    }
    block.push({ text, line });
  });
  flush();
  return doc;
}
