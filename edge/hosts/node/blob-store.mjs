// The Node host's blobs (uploaded files, results) as files under one folder.
// Names come from the handler ("uploads/<org>/<id>"); anything that would
// leave the folder is refused.
import { randomBytes } from 'node:crypto';
import {
  closeSync, createReadStream, createWriteStream, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync,
  writeSync,
} from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export class BlobStore {
  #root;

  constructor(root) {
    this.#root = path.resolve(root);
    mkdirSync(this.#root, { recursive: true });
  }

  path(name) {
    const file = path.resolve(this.#root, name);
    if (!file.startsWith(this.#root + path.sep)) throw new Error(`blob name leaves the store: ${name}`);
    return file;
  }

  async write(name, bytes) {
    const file = this.path(name);
    mkdirSync(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }

  /** Streams `readable` into a blob; resolves to its size. */
  async writeStream(name, readable) {
    const file = this.path(name);
    mkdirSync(path.dirname(file), { recursive: true });
    let size = 0;
    readable.on('data', (chunk) => { size += chunk.length; });
    await pipeline(readable, createWriteStream(file));
    return size;
  }

  /**
   * A blob written as it is made (handler-loop.mjs): its bytes go to a
   * scratch file beside it, which commit() renames into place and discard()
   * removes; until then readers see no blob, or the previous one whole.
   */
  openPending(name) {
    const file = this.path(name);
    mkdirSync(path.dirname(file), { recursive: true });
    // Scratch files of this blob left by a host killed while writing it: the
    // job that writes it again is their only writer, so they can go.
    const stale = `${path.basename(file)}.pending-`;
    for (const entry of readdirSync(path.dirname(file))) {
      if (entry.startsWith(stale)) rmSync(path.join(path.dirname(file), entry), { force: true });
    }
    const scratch = `${file}.pending-${randomBytes(6).toString('hex')}`;
    let fd = openSync(scratch, 'w');
    const close = () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    };
    return {
      write(bytes) {
        for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      },
      commit() {
        close();
        renameSync(scratch, file);
      },
      discard() {
        close();
        rmSync(scratch, { force: true });
      },
    };
  }

  /**
   * A blob as {length, fill(target)}: read from its file straight into
   * `target` (the module's memory) when the handler's frame is written, so
   * JavaScript never holds it whole.
   */
  filler(name) {
    const file = this.path(name);
    const length = statSync(file).size;
    return {
      length,
      fill(target) {
        const fd = openSync(file, 'r');
        try {
          for (let at = 0; at < length;) {
            const read = readSync(fd, target, at, length - at, at);
            if (read === 0) throw new Error(`blob ${name} ended early`);
            at += read;
          }
        } finally {
          closeSync(fd);
        }
      },
    };
  }

  move(from, to) {
    const target = this.path(to);
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(this.path(from), target);
  }

  delete(name) {
    rmSync(this.path(name), { force: true });
  }

  read(name) {
    return readFile(this.path(name));
  }

  size(name) {
    try {
      return statSync(this.path(name)).size;
    } catch {
      return null;
    }
  }

  /**
   * Bytes of a blob from `offset` into `target` (a view of the module's
   * memory, during its call): how many were read, fewer only at its end (0
   * when there is no blob).
   */
  readRange(name, offset, target) {
    let fd;
    try {
      fd = openSync(this.path(name), 'r');
    } catch {
      return 0;
    }
    try {
      let at = 0;
      while (at < target.length) {
        const read = readSync(fd, target, at, target.length - at, offset + at);
        if (read === 0) break;
        at += read;
      }
      return at;
    } finally {
      closeSync(fd);
    }
  }

  stream(name) {
    return createReadStream(this.path(name));
  }
}
