// `--data FILE`: the sandbox's state on disk, as a snapshot and a journal of the writes since.
//
//   FILE          the whole state (DataFileContent, snapshotFile.ts, replaced atomically), with
//                 `journalSeq`: the last journal record it includes.
//   FILE.journal  one line per acknowledged write (journal.ts): the Store and SalesStore method
//                 calls and token revocations the write made (mutationRecorder.ts), fsynced
//                 before the answer is sent. Absent when FILE holds everything.
//
// A write appends one line, so it costs what it changes, not what FILE holds. Loading reads FILE
// and replays the journal records after its journalSeq through the same methods, which rebuilds
// indexes and change-feed revisions exactly. Compaction folds the journal into FILE: write FILE
// with the new journalSeq (atomically), then delete the journal. A kill between the two leaves
// records FILE already includes, which loading skips by their seq; a kill mid-append leaves a torn
// last line (no newline), which was never acknowledged and is ignored. After a failed append (disk
// full, the journal deleted or replaced), the next write rewrites the journal whole from the
// records memory knows are on disk, so the sandbox recovers once the cause is gone.
import { parseJournalCalls, referenceProblems, type DataFileContent } from './dataFileSchema';
import { JournalFile, journalLine, type JournalRecord } from './journal';
import { MutationRecorder } from './mutationRecorder';
import { SalesStore } from './salesStore';
import { SeedData } from './seed';
import { SnapshotFile } from './snapshotFile';
import { Store } from './store';

/** What the data file holds: the stores and the token revocation generation. */
export interface SandboxState {
  store: Store;
  sales: SalesStore;
  tokenGeneration: number;
}

/** The data file's content for a state (also what RunningSandbox.snapshot() shows). */
export function contentOf(state: SandboxState): DataFileContent {
  return { ...state.store.snapshot(), tokenGeneration: state.tokenGeneration, sales: state.sales.snapshot() };
}

/**
 * The journal is folded into FILE once it is at least as big as FILE and this big. A compaction
 * writes all of FILE (S bytes) but only after at least S bytes of journal since the last one, so
 * each journaled byte pays for at most one byte of compaction: amortized, a write still costs what
 * it changes. It also bounds what a load replays. STCRM_SANDBOX_COMPACT_BYTES lowers it for tests
 * that need compactions to happen often.
 */
const COMPACT_BYTES = Number(process.env.STCRM_SANDBOX_COMPACT_BYTES) || 1024 * 1024;

type Log = (line: string) => void;

export class Persistence {
  private readonly snapshot: SnapshotFile;
  private readonly journal: JournalFile;
  private recorder: MutationRecorder | undefined;
  /** The last record on disk. */
  private seq = 0;
  /** What is on disk, to rebuild memory from when a write fails: FILE's text and the records after it. */
  private savedSnapshot = '';
  private savedRecords: JournalRecord[] = [];
  /** Journal bytes at which to compact. */
  private compactAt = COMPACT_BYTES;
  /** Whether FILE.journal was there at load (start() folds it into FILE). */
  private journalAtLoad = false;

  constructor(
    readonly file: string,
    private readonly log: Log = () => undefined,
  ) {
    this.snapshot = new SnapshotFile(file);
    this.journal = new JournalFile(`${file}.journal`, file);
  }

  /**
   * The state FILE and FILE.journal hold, with its writes being recorded; undefined when FILE does
   * not exist yet. Writes nothing. Throws an Error that says what to fix when they cannot be loaded.
   */
  load(): SandboxState | undefined {
    const loaded = this.snapshot.load();
    const journal = this.journal.read();
    if (!loaded) {
      if (journal.exists) {
        throw new Error(
          `${this.journal.file} exists but ${this.file} does not, so nothing was loaded (and neither file will be overwritten): ` +
            `the journal only holds changes to ${this.file}. Restore ${this.file}, or remove ${this.journal.file} to start afresh.`,
        );
      }
      return undefined;
    }
    if (journal.torn)
      this.log(
        `${this.journal.file}: ignored a torn last record (line ${journal.torn.line}, ${journal.torn.bytes} bytes), a write that was never acknowledged`,
      );
    const state = this.rebuild(loaded.text, loaded.content, journal.records);
    if (this.seq > (loaded.content.journalSeq ?? 0)) {
      const problems = referenceProblems(contentOf(state));
      if (problems.length > 0) {
        throw new Error(
          `${this.file} with the changes in ${this.journal.file} is not a valid CRM sandbox data file, so it was not loaded ` +
            `(and neither file will be overwritten). Remove ${this.journal.file} to load ${this.file} without them, or pass another --data file:` +
            problems
              .slice(0, 10)
              .map((problem) => `\n  - ${problem}`)
              .join(''),
        );
      }
    }
    this.journalAtLoad = journal.exists;
    this.compactAt = Math.max(COMPACT_BYTES, Buffer.byteLength(loaded.text));
    return state;
  }

  /**
   * Starts saving `state`'s writes: a new FILE is written at once (so a bad path fails the start
   * with the file system's reason); a journal found at load is folded into FILE (which also cuts
   * off a torn last record).
   */
  start(state: SandboxState, created: boolean): void {
    this.snapshot.removeStaleTemps();
    if (created) {
      const text = JSON.stringify({ ...contentOf(state), journalSeq: 0 });
      this.snapshot.write(text);
      this.savedSnapshot = text;
      this.recorder = new MutationRecorder(state.store, state.sales);
      this.compactAt = Math.max(COMPACT_BYTES, Buffer.byteLength(text));
    } else if (this.journalAtLoad) {
      this.compactOrLog(state);
    }
  }

  /** Records a token revocation; the next commit saves it. */
  recordRevocation(generation: number): void {
    this.recording().recordRevocation(generation);
  }

  /**
   * Saves the calls made since the last commit as one journal record, durably. Throws when that
   * fails: then call restore(), since memory holds a change that is not on disk.
   */
  commit(state: SandboxState): void {
    const recorder = this.recording();
    if (recorder.store !== state.store || recorder.sales !== state.sales) throw new Error('the stores changed without the journal knowing');
    const calls = recorder.take();
    if (calls === undefined) return;
    const seq = this.seq + 1;
    const line = journalLine(seq, calls);
    if (this.journal.needsRewrite) {
      // The last append failed: the journal is written again whole, with every record since FILE.
      const saved = this.savedRecords.map((record) => journalLine(record.seq, record.calls));
      this.journal.rewrite([...saved, line]);
    } else {
      this.journal.append(line);
    }
    this.seq = seq;
    this.savedRecords.push({ seq, calls, line: this.savedRecords.length + 1 });
    if (this.journal.bytes >= this.compactAt) this.compactOrLog(state);
  }

  /** The state on disk, rebuilt after a failed commit (costs a load, which is fine on that path). */
  restore(): SandboxState {
    return this.rebuild(this.savedSnapshot, this.snapshot.parse(this.savedSnapshot), this.savedRecords);
  }

  /** Saves what was not committed yet and folds the journal into FILE, so that FILE alone holds the state. */
  close(state: SandboxState): void {
    try {
      this.commit(state);
    } catch (e) {
      this.log(`persisting ${this.file} failed: ${(e as Error).message}`);
      return;
    }
    if (this.savedRecords.length > 0 || this.journal.bytes > 0) this.compactOrLog(state);
  }

  private recording(): MutationRecorder {
    if (!this.recorder) throw new Error('the data file was not started');
    return this.recorder;
  }

  /** Builds the stores from FILE's content and replays the records after its journalSeq; records their writes from then on. */
  private rebuild(snapshotText: string, content: DataFileContent, records: readonly JournalRecord[]): SandboxState {
    const store = Store.fromSnapshot(content);
    // A data file written before leads and bookings existed gets the seeded ones.
    const sales = content.sales ? SalesStore.fromSnapshot(content.sales) : SalesStore.seeded(new SeedData(content.seed, content.customers));
    const state: SandboxState = { store, sales, tokenGeneration: content.tokenGeneration ?? 0 };
    const recorder = new MutationRecorder(store, sales);
    const included = content.journalSeq ?? 0;
    let seq = included;
    let previous: number | undefined;
    const kept: JournalRecord[] = [];
    for (const record of records) {
      const expected = previous === undefined ? (record.seq <= included ? record.seq : included + 1) : previous + 1;
      if (record.seq !== expected) {
        const what =
          previous === undefined
            ? `${this.file} includes records up to ${included} and the journal starts at record ${record.seq}: records ${included + 1} to ${record.seq - 1} are missing`
            : `record ${record.seq} follows record ${previous}`;
        throw new Error(
          `${this.journal.file} line ${record.line}: ${what}, so ${this.file} was not loaded (and neither file will be overwritten). ` +
            `Restore the two files as they were written together, or remove ${this.journal.file} to load ${this.file} without its changes, or pass another --data file.`,
        );
      }
      previous = record.seq;
      if (record.seq <= included) continue;
      try {
        state.tokenGeneration = recorder.replay(parseJournalCalls(JSON.parse(record.calls)), state.tokenGeneration);
      } catch (e) {
        throw new Error(
          `${this.journal.file} line ${record.line} (record ${record.seq}) cannot be replayed: ${(e as Error).message}. ${this.file} was not loaded ` +
            `(and neither file will be overwritten). Remove that line and the ones after it (their changes are lost), or remove ${this.journal.file}, or pass another --data file.`,
        );
      }
      seq = record.seq;
      kept.push(record);
    }
    this.recorder = recorder;
    this.seq = seq;
    this.savedSnapshot = snapshotText;
    this.savedRecords = kept;
    return state;
  }

  /** Folds the journal into FILE. A failure loses nothing (the journal still holds every write); the next try waits for as many bytes again. */
  private compactOrLog(state: SandboxState): void {
    const text = JSON.stringify({ ...contentOf(state), journalSeq: this.seq });
    try {
      this.snapshot.write(text);
      this.savedSnapshot = text;
      this.savedRecords = [];
      this.journal.remove();
      this.compactAt = Math.max(COMPACT_BYTES, Buffer.byteLength(text));
    } catch (e) {
      this.compactAt = this.journal.bytes + Math.max(COMPACT_BYTES, Buffer.byteLength(text));
      this.log(`folding ${this.journal.file} into ${this.file} failed (every write is still in the journal): ${(e as Error).message}`);
    }
  }
}

/**
 * The state FILE and FILE.journal hold, as RunningSandbox.snapshot() shows it: what a restart
 * would load. Reads only; undefined when there is no FILE.
 */
export function readSavedState(file: string): string | undefined {
  const state = new Persistence(file).load();
  return state && JSON.stringify(contentOf(state));
}
