// Optional JSON persistence with crash-safe writes: write a temp file in the same directory,
// fsync it, rename it over the target, fsync the directory. A kill at any point leaves either the
// old or the new complete file, never a torn one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDataFile, type DataFileContent } from './dataFileSchema';

let tempCounter = 0;

export class DataFile {
  constructor(readonly file: string) {}

  private tempPrefix(): string {
    return `.${path.basename(this.file)}.`;
  }

  /** Returns the validated content, or undefined when the file does not exist yet. Throws when it is not valid. */
  load(): DataFileContent | undefined {
    this.removeStaleTemps();
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error(`${this.file} is not valid JSON (${(e as Error).message}), so it was not loaded (and will not be overwritten). Fix or remove it, or pass another --data file.`);
    }
    return parseDataFile(data, this.file);
  }

  write(text: string): void {
    const dir = path.dirname(path.resolve(this.file));
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `${this.tempPrefix()}${process.pid}.${++tempCounter}.tmp`);
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.renameSync(tmp, this.file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    try {
      const dfd = fs.openSync(dir, 'r');
      try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
    } catch {
      // Directory fsync is not supported everywhere (e.g. Windows); the rename is still atomic.
    }
  }

  /** Temp files left by a process killed mid-write. */
  private removeStaleTemps(): void {
    const dir = path.dirname(path.resolve(this.file));
    let names: string[];
    try { names = fs.readdirSync(dir); } catch { return; }
    for (const n of names) {
      if (n.startsWith(this.tempPrefix()) && n.endsWith('.tmp')) fs.rmSync(path.join(dir, n), { force: true });
    }
  }
}
