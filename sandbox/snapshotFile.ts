// FILE of `--data FILE`: a whole snapshot of the state, written crash-safe: a temp file in the same
// directory, fsync it, rename it over the target, fsync the directory. A kill at any point leaves
// either the old or the new complete file, never a torn one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDataFile, type DataFileContent } from './dataFileSchema';

let tempCounter = 0;

export interface LoadedSnapshot {
  content: DataFileContent;
  text: string;
}

/** Makes a directory entry (a rename, a new or removed file) durable; not supported everywhere (e.g. Windows). */
export function syncDirectory(dir: string): void {
  try {
    const descriptor = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
  } catch {
    // The rename, create or unlink itself is still atomic.
  }
}

/**
 * Replaces `file` with `text`, crash-safe (see the top of this file). The temp file is named
 * `${tempPrefix}${pid}.${n}.tmp` in the same directory, which SnapshotFile.removeStaleTemps finds.
 */
export function writeFileAtomically(file: string, text: string, tempPrefix: string): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `${tempPrefix}${process.pid}.${++tempCounter}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    // A full disk must not also keep a half-written temp file around.
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncDirectory(dir);
}

export class SnapshotFile {
  constructor(readonly file: string) {}

  /** Also the prefix of the journal's temp files (`.FILE.journal.…`), so that removeStaleTemps finds those too. */
  private tempPrefix(): string {
    return `.${path.basename(this.file)}.`;
  }

  /** Returns the validated content and its text, or undefined when the file does not exist yet. Throws when it is not valid. */
  load(): LoadedSnapshot | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return { content: this.parse(text), text };
  }

  /** The validated content of a text of this file (read from it, or last written to it). */
  parse(text: string): DataFileContent {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error(
        `${this.file} is not valid JSON (${(e as Error).message}), so it was not loaded (and will not be overwritten). Fix or remove it, or pass another --data file.`,
      );
    }
    const parsed = parseDataFile(data, this.file);
    // A file the sandbox wrote (compact JSON with every field) is used as it is: reloading it then
    // rebuilds every record as it was, key order included, which a replayed journal relies on (the
    // store compares contact records as JSON text to find changes). Otherwise the schema's objects
    // are used; they fill in the fields older files lack (taxExempt, …).
    return JSON.stringify(parsed).length === text.length ? (data as DataFileContent) : parsed;
  }

  write(text: string): void {
    writeFileAtomically(this.file, text, this.tempPrefix());
  }

  /** Temp files left by a process killed mid-write (only while no other process writes this file, which FILE.lock sees to). */
  removeStaleTemps(): void {
    const dir = path.dirname(path.resolve(this.file));
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(this.tempPrefix()) && name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}
