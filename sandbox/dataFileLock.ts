// FILE.lock of `--data FILE`: one sandbox at a time. Two sandboxes on one file (a terminal and the
// VS Code extension, `npm run sandbox` twice) would each append to the journal from their own
// memory and fold it into FILE, losing each other's writes. The lock file is created with O_EXCL
// (an atomic create-if-absent) and says who holds it; a clean stop removes it. One left by a
// process that died (a crash, SIGKILL) names a pid that no longer runs on this host: the next
// sandbox takes it over. A pid on another host (a shared folder) cannot be checked, so it is left
// to the user.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod';

/** Who holds a lock: what FILE.lock holds, as JSON. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the lock was taken (ISO 8601). */
  started: string;
}

/** Printable text only: the holder goes into messages. */
const printable = (max: number): z.ZodString =>
  z
    .string()
    .max(max)
    .regex(/^\P{Cc}*$/u);
const holderSchema = z.strictObject({ pid: z.int().min(1), host: printable(255), started: printable(64) });

/** A lock file is a few dozen bytes; a bigger one is not ours and is not read further. */
const MAX_LOCK_BYTES = 4096;

/** startSandbox's refusal when another sandbox uses the data file; the message says what to do. */
export class DataFileInUseError extends Error {
  override readonly name = 'DataFileInUseError';

  constructor(
    message: string,
    readonly dataFile: string,
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message);
  }
}

type Log = (line: string) => void;

/** Locks this process holds, removed when it exits without stopping its sandboxes. */
const heldLocks = new Set<DataFileLock>();
let releaseAtExit = false;

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder a lock file names, or undefined when it names none (empty, cut short, not ours). */
function readHolder(lockFile: string): LockHolder | undefined {
  const buf = Buffer.alloc(MAX_LOCK_BYTES);
  let length: number;
  try {
    const fd = fs.openSync(lockFile, 'r');
    try {
      length = fs.readSync(fd, buf, 0, MAX_LOCK_BYTES, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let data: unknown;
  try {
    data = JSON.parse(buf.toString('utf8', 0, length));
  } catch {
    return undefined;
  }
  const parsed = holderSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** The refusal for a lock held by a running (or uncheckable) process. */
function inUseError(dataFile: string, lockFile: string, holder: LockHolder | undefined): DataFileInUseError {
  if (holder === undefined) {
    return new DataFileInUseError(
      `${dataFile} may be in use by another sandbox: ${lockFile} exists but does not say which process holds it ` +
        '(it may be being written right now). If no sandbox uses this data file, remove the lock file; otherwise stop that sandbox, ' +
        'or pass another --data file.',
      dataFile,
      lockFile,
      holder,
    );
  }
  const sameHost = holder.host === os.hostname();
  const inThisProcess = sameHost && holder.pid === process.pid;
  let who = `pid ${holder.pid}`;
  if (!sameHost) who = `pid ${holder.pid} on host ${holder.host}`;
  else if (inThisProcess) who = `pid ${holder.pid}, this process`;
  let todo = `Stop the other sandbox with pid ${holder.pid}, or pass another --data file.`;
  if (inThisProcess) todo = 'Close the other sandbox first (its close()), or pass another data file.';
  else if (sameHost) todo += ` (If pid ${holder.pid} is no sandbox, its number was reused after the sandbox died: remove ${lockFile}.)`;
  else todo += ` Whether it still runs cannot be checked from ${os.hostname()}: if no sandbox runs there, remove ${lockFile}.`;
  return new DataFileInUseError(
    `${dataFile} is in use by another sandbox (${who}, started ${holder.started}; lock file ${lockFile}). ${todo}`,
    dataFile,
    lockFile,
    holder,
  );
}

export class DataFileLock {
  private released = false;

  private constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  /**
   * Takes FILE.lock for `dataFile`, taking over one whose process no longer runs (and saying so in
   * the log). Throws a DataFileInUseError naming the holder when another sandbox holds it.
   */
  static acquire(dataFile: string, log: Log): DataFileLock {
    const lockFile = `${dataFile}.lock`;
    // The data file's folder is created at start anyway (SnapshotFile.write); the lock goes first.
    fs.mkdirSync(path.dirname(path.resolve(lockFile)), { recursive: true });
    const holder: LockHolder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
    const text = `${JSON.stringify(holder)}\n`;
    // Another round only after a lock went away or was stale: a few mean others are racing for it.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (DataFileLock.create(lockFile, text)) {
        const lock = new DataFileLock(lockFile, text);
        DataFileLock.holdUntilExit(lock);
        return lock;
      }
      const current = readHolder(lockFile);
      // Its holder stopped between the two steps.
      if (current === undefined && !fs.existsSync(lockFile)) continue;
      const stale = current !== undefined && current.host === os.hostname() && !isRunning(current.pid);
      if (!stale) throw inUseError(dataFile, lockFile, current);
      fs.rmSync(lockFile, { force: true });
      log(`${lockFile}: took over the lock of pid ${current.pid} (started ${current.started}), which no longer runs`);
    }
    throw inUseError(dataFile, lockFile, readHolder(lockFile));
  }

  /** Creates the lock file holding `text`; false when it exists. */
  private static create(lockFile: string, text: string): boolean {
    let fd: number;
    try {
      fd = fs.openSync(lockFile, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    try {
      fs.writeSync(fd, text);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(lockFile, { force: true });
      throw e;
    }
    fs.closeSync(fd);
    return true;
  }

  private static holdUntilExit(lock: DataFileLock): void {
    heldLocks.add(lock);
    if (releaseAtExit) return;
    releaseAtExit = true;
    process.on('exit', () => {
      for (const held of heldLocks) held.release();
    });
  }

  /** Removes the lock file, if it is still this lock's (someone may have removed it by hand and started another sandbox). */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldLocks.delete(this);
    try {
      if (fs.readFileSync(this.file, 'utf8') === this.text) fs.rmSync(this.file, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  }
}
