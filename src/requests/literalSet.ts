/**
 * Many literal strings found in one left-to-right pass over a text (Aho–Corasick): building costs
 * the literals' total length, each scan the text's length, however many literals there are. The
 * cURL importer hides every credential value of a pasted command with it, where a loop of
 * `includes`/`split` per value would cost values × text. Plain TypeScript: no vscode, no Node.
 */
export class LiteralSet {
  // The trie, node 0 its root. A node's first child is found through `firstChild`/`code` (most
  // nodes of a trie of long random strings have one child); other children through `more`, keyed
  // by node and UTF-16 code unit. `nextSibling` lists a node's children for the breadth-first walk.
  private readonly code: Int32Array;
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly more = new Map<number, number>();
  /** The node of the longest proper suffix that is also in the trie. */
  private readonly fail: Int32Array;
  /** The length of the longest literal that is a suffix of the node's string; 0 for none. */
  private readonly longest: Int32Array;
  private nodes = 1;

  constructor(literals: Iterable<string>) {
    const list = [...new Set(literals)].filter((literal) => literal.length > 0);
    const capacity = list.reduce((sum, literal) => sum + literal.length, 1);
    this.code = new Int32Array(capacity).fill(-1);
    this.firstChild = new Int32Array(capacity).fill(-1);
    this.nextSibling = new Int32Array(capacity).fill(-1);
    this.fail = new Int32Array(capacity);
    this.longest = new Int32Array(capacity);
    for (const literal of list) {
      let node = 0;
      for (let i = 0; i < literal.length; i++) node = this.childOrNew(node, literal.charCodeAt(i));
      this.longest[node] = literal.length;
    }
    this.linkFailures(capacity);
  }

  /** Whether there is nothing to find. */
  get empty(): boolean {
    return this.nodes === 1;
  }

  /**
   * The text with each stretch covered by occurrences of the literals replaced by `replacement`
   * (occurrences that overlap make one stretch), and whether anything was. One pass: at each
   * position only the longest literal ending there counts, as it covers the shorter ones.
   */
  replaceIn(text: string, replacement: string): { text: string; replaced: boolean } {
    if (this.empty) return { text, replaced: false };
    // Covered stretches so far, disjoint and in order: starts[k]..ends[k] inclusive.
    const starts: number[] = [];
    const ends: number[] = [];
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = this.child(node, c);
      while (next < 0 && node !== 0) {
        node = this.fail[node] ?? 0;
        next = this.child(node, c);
      }
      node = next < 0 ? 0 : next;
      const length = this.longest[node] ?? 0;
      if (length === 0) continue;
      let start = i - length + 1;
      while (ends.length > 0 && start <= (ends[ends.length - 1] ?? -1)) {
        start = Math.min(start, starts.pop() ?? start);
        ends.pop();
      }
      starts.push(start);
      ends.push(i);
    }
    if (starts.length === 0) return { text, replaced: false };
    const parts: string[] = [];
    let from = 0;
    for (let k = 0; k < starts.length; k++) {
      parts.push(text.slice(from, starts[k]), replacement);
      from = (ends[k] ?? 0) + 1;
    }
    parts.push(text.slice(from));
    return { text: parts.join(''), replaced: true };
  }

  private child(node: number, c: number): number {
    const first = this.firstChild[node] ?? -1;
    if (first < 0) return -1;
    if (this.code[first] === c) return first;
    return (this.nextSibling[first] ?? -1) < 0 ? -1 : (this.more.get(node * 0x10000 + c) ?? -1);
  }

  private childOrNew(node: number, c: number): number {
    const found = this.child(node, c);
    if (found >= 0) return found;
    const created = this.nodes++;
    this.code[created] = c;
    const first = this.firstChild[node] ?? -1;
    if (first < 0) {
      this.firstChild[node] = created;
    } else {
      this.nextSibling[created] = this.nextSibling[first] ?? -1;
      this.nextSibling[first] = created;
      this.more.set(node * 0x10000 + c, created);
    }
    return created;
  }

  /** Failure links and `longest`, breadth-first (a node's failure is shallower, so done before it). */
  private linkFailures(capacity: number): void {
    const queue = new Int32Array(capacity);
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
      const parent = queue[head++] ?? 0;
      for (let node = this.firstChild[parent] ?? -1; node >= 0; node = this.nextSibling[node] ?? -1) {
        queue[tail++] = node;
        const c = this.code[node] ?? -1;
        let fail = 0;
        if (parent !== 0) {
          let candidate = this.fail[parent] ?? 0;
          let next = this.child(candidate, c);
          while (next < 0 && candidate !== 0) {
            candidate = this.fail[candidate] ?? 0;
            next = this.child(candidate, c);
          }
          fail = next < 0 ? 0 : next;
        }
        this.fail[node] = fail;
        if (this.longest[node] === 0) this.longest[node] = this.longest[fail] ?? 0;
      }
    }
  }
}
