// The merge behind the large lists, on its own: seeded rows with a time key in a sorted
// permutation, some changed (skipped), changes placed by binary search, a row mask and an index's
// candidate positions; every page against slicing a naive sort of the same records.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { firstNotBefore, HashIndex, rowsByGuid, rowsByKey, rowsByTime, texts, textsVia, type RowVisitor } from '../../../../sandbox/lists/columns';
import { changedFlags, mergedPage, sortedDelta } from '../../../../sandbox/lists/mergedPage';

interface Rec {
  id: number;
  ms: number;
  ok: boolean;
}

const world = fc.record({
  // Seeded rows: id = 1000 + row (ids grow with the row), times with many ties.
  seeded: fc.array(fc.record({ ms: fc.integer({ min: 0, max: 20 }), ok: fc.boolean() }), { maxLength: 40 }),
  changedRows: fc.array(fc.nat(), { maxLength: 8 }),
  created: fc.array(fc.record({ ms: fc.integer({ min: 0, max: 20 }), ok: fc.boolean() }), { maxLength: 8 }),
  paging: fc.record({ page: fc.integer({ min: 1, max: 8 }), pageSize: fc.integer({ min: 1, max: 7 }), includeTotal: fc.boolean() }),
  descending: fc.boolean(),
});

function slice<T>(rows: T[], p: { page: number; pageSize: number; includeTotal: boolean }): object {
  const from = (p.page - 1) * p.pageSize;
  const base = { page: p.page, pageSize: p.pageSize, hasMore: rows.length > from + p.pageSize };
  return p.includeTotal
    ? { ...base, totalCount: rows.length, data: rows.slice(from, from + p.pageSize) }
    : { ...base, data: rows.slice(from, from + p.pageSize) };
}

void describe('mergedPage and sortedDelta', () => {
  void test('a sorted order with changed, gone and created records merged in equals a naive sort, both ways', () => {
    fc.assert(
      fc.property(world, ({ seeded, changedRows, created, paging, descending }) => {
        const count = seeded.length;
        const ms = Float64Array.from(seeded, (s) => s.ms);
        const order = rowsByTime(ms);
        const rows = [...new Set(changedRows.filter((r) => r < count))];
        // Half of the changed rows are gone, the others have a new time.
        const moved: Rec[] = rows.filter((_, k) => k % 2 === 0).map((r) => ({ id: 1000 + r, ms: (seeded[r]?.ms ?? 0) + 3, ok: !(seeded[r]?.ok ?? false) }));
        const fresh: Rec[] = created.map((c, k) => ({ id: 5000 + k, ...c }));
        const delta = sortedDelta(order, [...moved, ...fresh], {
          recKey: (r) => r.ms,
          recId: (r) => r.id,
          rowKey: (r) => ms[r] as number,
          rowId: (r) => 1000 + r,
        });
        const mask = Uint8Array.from(seeded, (s) => (s.ok ? 1 : 0));
        const page = mergedPage(
          { order, count, changed: changedFlags(count, rows), delta },
          {
            mask,
            recMatch: (r) => r.ok,
            mapRow: (r) => 1000 + r,
            mapRec: (r) => r.id,
          },
          paging,
          descending,
        );
        const current: Rec[] = [...seeded.map((s, r) => ({ id: 1000 + r, ...s })).filter((r) => !rows.includes(r.id - 1000)), ...moved, ...fresh];
        const naive = current
          .filter((r) => r.ok)
          .sort((a, b) => a.ms - b.ms || a.id - b.id)
          .map((r) => r.id);
        assert.deepEqual(page, slice(descending ? naive.reverse() : naive, paging));
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  void test('a walk over candidate positions, and over no seeded row at all, keeps the changes in place', () => {
    fc.assert(
      fc.property(world, fc.array(fc.nat(), { maxLength: 10 }), ({ seeded, created, paging, descending }, picks) => {
        const count = seeded.length;
        const positions = Int32Array.from([...new Set(picks.filter((p) => p < count))].sort((a, b) => a - b));
        // A change placed before each seeded position `at` (the walk order is the row order).
        const delta = created.map((c, k) => ({ at: Math.min(count, c.ms), rec: { id: 5000 + k, ...c } })).sort((a, b) => a.at - b.at);
        const rowsOf = (all: boolean): number[] => {
          const out: number[] = [];
          for (let p = 0; p <= count; p++) {
            for (const d of delta) if (d.at === p && d.rec.ok) out.push(d.rec.id);
            if (p < count && all && positions.includes(p)) out.push(1000 + p);
          }
          return out;
        };
        for (const none of [false, true]) {
          const page = mergedPage(
            { order: undefined, count, changed: new Uint8Array(count), delta },
            {
              mask: none ? 'none' : undefined,
              positions,
              recMatch: (r) => r.ok,
              mapRow: (r) => 1000 + r,
              mapRec: (r) => r.id,
            },
            paging,
            descending,
          );
          const naive = rowsOf(!none);
          assert.deepEqual(page, slice(descending ? naive.reverse() : naive, paging));
        }
      }),
      { seed: 8, numRuns: 300 },
    );
  });
});

void describe('list columns', () => {
  const visitor =
    (count: number): RowVisitor =>
    (visit) => {
      for (let r = 0; r < count; r++) visit(r, r, 0, 0);
    };

  void test('a dictionary column and one read through another numbering give each row its text', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.constantFrom('a', 'b', 'smith', ''), { nil: undefined }), { maxLength: 30 }), (values) => {
        for (const dictionary of [false, true]) {
          const col = texts(values.length, visitor(values.length), (r) => values[r], dictionary);
          const at = (r: number): string | undefined => col.values[col.codes ? (col.codes[r] as number) : r];
          assert.deepEqual(
            values.map((_, r) => at(r)),
            values,
          );
          const via = Int32Array.from(values.map((_, r) => values.length - 1 - r));
          const read = textsVia(col, via, values.length);
          assert.deepEqual(
            values.map((_, r) => read.values[read.codes?.[r] as number]),
            [...values].reverse(),
          );
        }
      }),
    );
  });

  void test('HashIndex candidates hold every row with the key, in row order', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ maxLength: 3 }), { nil: undefined }), { maxLength: 60 }), fc.string({ maxLength: 3 }), (keys, probe) => {
        const index = new HashIndex(keys.length, visitor(keys.length), (r) => keys[r]);
        const found = index.candidates(probe);
        assert.deepEqual(
          [...found].sort((a, b) => a - b),
          found,
        );
        for (const [r, k] of keys.entries()) if (k === probe) assert.ok(found.includes(r), `row ${r}`);
      }),
    );
  });

  void test('rowsByKey sorts by key then rank (or row); rowsByGuid orders GUID text even when the heads tie', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.uuid()), { maxLength: 40 }), fc.boolean(), (rows, huge) => {
        // Heads that tie often, and keys beyond the packed range (the comparator fallback).
        const keyOf = (r: number): number => (rows[r]?.[0] ?? 0) * (huge ? 2 ** 45 : 1);
        const naive = rows.map((_, r) => r).sort((a, b) => keyOf(a) - keyOf(b) || a - b);
        assert.deepEqual([...rowsByKey(rows.length, keyOf)], naive);
        const guid = (r: number): string => `${String(rows[r]?.[0] ?? 0).padStart(8, '0')}${(rows[r]?.[1] ?? '').slice(8)}`;
        const byText = rows.map((_, r) => r).sort((a, b) => (guid(a) < guid(b) ? -1 : guid(a) > guid(b) ? 1 : a - b));
        const ranks = rowsByGuid(rows.length, (r) => rows[r]?.[0] ?? 0, guid);
        assert.deepEqual([...ranks.rowOf].map(guid), byText.map(guid));
        for (const [p, r] of ranks.rowOf.entries()) assert.equal(ranks.rank[r], p);
        const byKeyThenText = rows.map((_, r) => r).sort((a, b) => keyOf(b) - keyOf(a) || (ranks.rank[a] as number) - (ranks.rank[b] as number));
        assert.deepEqual([...rowsByKey(rows.length, (r) => 100 - keyOf(r) / (huge ? 2 ** 45 : 1), ranks)], byKeyThenText);
      }),
    );
  });

  void test('firstNotBefore is the first position where the predicate turns false', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 })), fc.integer({ min: -1, max: 10 }), (xs, v) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const expected = sorted.findIndex((x) => x >= v);
        assert.equal(
          firstNotBefore(sorted.length, (p) => (sorted[p] as number) < v),
          expected < 0 ? sorted.length : expected,
        );
      }),
    );
  });
});
