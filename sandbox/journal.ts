// FILE.journal of `--data FILE`: one line per acknowledged write, appended and fsynced before the
// answer is sent (JSON Lines, readable with jq):
//
//   {"seq":12,"crc":"1a2b3c4d","calls":[["store","putCustomer",[{…},false]],["store","nextId",[]]]}
//
// `seq` numbers the records since FILE was created; `crc` is the CRC-32 of `seq:` and the calls
// text, so a damaged line is told from a whole one without re-serializing anything. Only the last
// line can be in flight when the process dies, and it was not acknowledged yet: a last line that
// lacks its newline is a torn append and is ignored (the next write cuts it off). A line that has
// its newline was written whole, so one that cannot be read (damaged, or written by another version
// of the sandbox) is refused wherever it is: ignoring it would lose a write that was acknowledged.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { syncDirectory, writeFileAtomically } from './snapshotFile';

export interface JournalRecord {
  seq: number;
  /** The `calls` of the record as JSON text (checked by its crc, not yet against the methods). */
  calls: string;
  /** 1-based, for messages. */
  line: number;
}

export interface JournalRead {
  records: JournalRecord[];
  /** Whether the file exists (an empty one holds no records either). */
  exists: boolean;
  /** The torn last line that was ignored, if any. */
  torn?: { line: number; bytes: number };
}

const LINE = /^\{"seq":(\d+),"crc":"([0-9a-f]{8})","calls":(.*)\}$/s;

const crcOf = (seq: number, calls: string): string =>
  zlib
    .crc32(calls, zlib.crc32(`${seq}:`))
    .toString(16)
    .padStart(8, '0');

/** The line of one record, newline included. */
export function journalLine(seq: number, calls: string): string {
  return `{"seq":${seq},"crc":"${crcOf(seq, calls)}","calls":${calls}}\n`;
}

/** Why a line is not a whole record, or undefined when it is one. */
function lineProblem(text: string): string | undefined {
  const match = LINE.exec(text);
  if (!match) {
    const shape = 'a {"seq":…,"crc":…,"calls":…} record';
    return isJsonObject(text) ? `it is JSON but not ${shape}: if another version of the sandbox wrote it, run that version` : `not ${shape}`;
  }
  const [, seq, crc, calls] = match as unknown as [string, string, string, string];
  if (crcOf(Number(seq), calls) !== crc) return `its crc is ${crc} but its content's is ${crcOf(Number(seq), calls)}`;
  try {
    JSON.parse(calls);
  } catch (e) {
    return `its calls are not JSON (${(e as Error).message})`;
  }
  return undefined;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export class JournalFile {
  /** Bytes of the whole records on disk; the next append goes right after them. */
  private size = 0;
  private exists = false;
  /** Bytes may follow `size` (a torn append at load): they are cut off before the next append. */
  private dirty = false;
  /** An append failed: what the file holds is unknown (cut short, gone, replaced), so it is rewritten whole. */
  private appendFailed = false;

  constructor(
    readonly file: string,
    private readonly dataFile: string,
  ) {}

  get bytes(): number {
    return this.size;
  }

  /** Whether the next record must go through rewrite() rather than append(). */
  get needsRewrite(): boolean {
    return this.appendFailed;
  }

  /** Reads every whole record; throws an Error that says what to do when the journal is damaged. */
  read(): JournalRead {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.exists = false;
        this.size = 0;
        this.dirty = false;
        return { records: [], exists: false };
      }
      throw new Error(
        `${this.file} cannot be read (${(e as Error).message}), so ${this.dataFile} was not loaded (and neither file will be overwritten). ` +
          `Make it a readable file again, or move it away (every change since ${path.basename(this.dataFile)} was written is lost), or pass another --data file.`,
      );
    }
    const records: JournalRecord[] = [];
    let offset = 0;
    let line = 0;
    let torn: JournalRead['torn'];
    while (offset < buf.length) {
      line++;
      const newline = buf.indexOf(0x0a, offset);
      // A record counts once its newline is written: one without is an append cut short.
      if (newline < 0) {
        torn = { line, bytes: buf.length - offset };
        break;
      }
      const text = buf.toString('utf8', offset, newline);
      const problem = lineProblem(text);
      if (problem !== undefined) {
        throw new Error(
          `${this.file} line ${line} cannot be read (${problem}), so ${this.dataFile} was not loaded (and neither file will be overwritten). ` +
            `Remove that line and the ones after it (their changes are lost), or remove ${path.basename(this.file)} ` +
            `(every change since ${path.basename(this.dataFile)} was written is lost), or pass another --data file.`,
        );
      }
      const match = LINE.exec(text) as unknown as [string, string, string, string];
      records.push({ seq: Number(match[1]), calls: match[3], line });
      offset = newline + 1;
    }
    this.exists = true;
    this.size = offset;
    this.dirty = torn !== undefined;
    this.appendFailed = false;
    return torn ? { records, exists: true, torn } : { records, exists: true };
  }

  /** Appends one record (journalLine) and makes it durable; on failure nothing of it counts, and needsRewrite is set. */
  append(line: string): void {
    if (this.appendFailed) throw new Error('the journal must be rewritten after a failed append');
    const buf = Buffer.from(line, 'utf8');
    const created = !this.exists;
    try {
      if (this.dirty) {
        if (this.exists) fs.truncateSync(this.file, this.size);
        else fs.rmSync(this.file, { force: true });
        this.dirty = false;
      }
      const fd = fs.openSync(this.file, 'a', 0o600);
      try {
        for (let at = 0; at < buf.length;) at += fs.writeSync(fd, buf, at);
        fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      // A new file's name must be durable too, or a crash could lose the record with it.
      if (created) syncDirectory(path.dirname(path.resolve(this.file)));
    } catch (e) {
      this.appendFailed = true;
      throw e;
    }
    this.exists = true;
    this.size += buf.length;
  }

  /**
   * Replaces the journal with these lines (journalLine each), atomically: after a failed append,
   * whatever the file became (cut short, deleted, a directory in its place), it holds every record
   * since FILE again once the cause is gone. Throws while it cannot be written.
   */
  rewrite(lines: readonly string[]): void {
    const text = lines.join('');
    writeFileAtomically(this.file, text, `.${path.basename(this.file)}.`);
    this.exists = true;
    this.size = Buffer.byteLength(text);
    this.dirty = false;
    this.appendFailed = false;
  }

  /** Deletes the journal (its records are in FILE now). */
  remove(): void {
    fs.rmSync(this.file, { force: true });
    syncDirectory(path.dirname(path.resolve(this.file)));
    this.exists = false;
    this.size = 0;
    this.dirty = false;
    this.appendFailed = false;
  }
}
