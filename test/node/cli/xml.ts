// A strict little XML reader for the JUnit reports the CLI writes (the repository has no XML
// parser): the declaration, elements, double- or single-quoted attributes, the five predefined
// entities and numeric references, CDATA sections, text. Anything else throws, so a malformed
// report fails the test.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text and CDATA directly inside, joined. */
  text: string;
}

export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at offset ${at}: ${JSON.stringify(source.slice(at, at + 40))}`);
  };
  const skipSpace = (): void => {
    while (/\s/.test(source[at] ?? '')) at++;
  };
  const expect = (text: string): void => {
    if (!source.startsWith(text, at)) fail(`expected ${text}`);
    at += text.length;
  };
  const name = (): string => {
    const match = /^[A-Za-z_][\w.:-]*/.exec(source.slice(at, at + 200));
    if (!match) return fail('expected a name');
    at += match[0].length;
    return match[0];
  };
  const decode = (text: string): string => {
    if (text.includes('<')) fail('a < in text');
    return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);|&/g, (whole, entity: string | undefined) => {
      if (entity === undefined) return fail(`a bare & in ${JSON.stringify(text)}`);
      if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
      if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
      return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity] ?? whole;
    });
  };
  const element = (): XmlElement => {
    expect('<');
    const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return node;
      }
      if (source[at] === '>') {
        at++;
        break;
      }
      const key = name();
      skipSpace();
      expect('=');
      skipSpace();
      const quote = source[at];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted value');
      const end = source.indexOf(quote, at + 1);
      if (end < 0) return fail('an unclosed attribute');
      if (key in node.attributes) fail(`a second ${key} attribute`);
      node.attributes[key] = decode(source.slice(at + 1, end));
      at = end + 1;
    }
    for (;;) {
      if (source.startsWith('<![CDATA[', at)) {
        const end = source.indexOf(']]>', at);
        if (end < 0) return fail('an unclosed CDATA section');
        node.text += source.slice(at + 9, end);
        at = end + 3;
      } else if (source.startsWith('</', at)) {
        at += 2;
        if (name() !== node.name) fail(`a closing tag that is not </${node.name}>`);
        skipSpace();
        expect('>');
        return node;
      } else if (source[at] === '<') {
        node.children.push(element());
      } else {
        const end = source.indexOf('<', at);
        if (end < 0) return fail(`an unclosed <${node.name}>`);
        node.text += decode(source.slice(at, end));
        at = end;
      }
    }
  };
  skipSpace();
  if (source.startsWith('<?xml', at)) {
    const end = source.indexOf('?>', at);
    if (end < 0) fail('an unclosed declaration');
    at = end + 2;
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (at !== source.length) fail('text after the root element');
  return root;
}

/** The children of `node` named `name`. */
export const childrenNamed = (node: XmlElement, name: string): XmlElement[] => node.children.filter((child) => child.name === name);
