// The Node host's key-value store: one SQLite table (better-sqlite3) of
// key, value, version, and the job outbox the handler's effects land in, in
// the same transaction as the writes that caused them (so a restart loses no
// job). Reads and compare-and-set commits are synchronous SQLite transactions,
// so every commit is atomic and exact; several connections (the server and
// the job worker) share the file through WAL.
import { createHash } from 'node:crypto';

import Database from 'better-sqlite3';

export class SqliteStore {
  #db;
  #get;
  #put;
  #insert;
  #delete;
  #addJob;

  constructor(file) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 10000');
    this.#db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL, version INTEGER NOT NULL)');
    this.#db.exec('CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, effect TEXT NOT NULL, ' +
      'attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0)');
    this.#addJob = this.#db.prepare('INSERT INTO jobs (effect) VALUES (?)');
    this.#get = this.#db.prepare('SELECT value, version FROM kv WHERE key = ?');
    this.#insert = this.#db.prepare('INSERT INTO kv (key, value, version) VALUES (?, ?, 1)');
    this.#put = this.#db.prepare('UPDATE kv SET value = ?, version = version + 1 WHERE key = ? AND version = ?');
    this.#delete = this.#db.prepare('DELETE FROM kv WHERE key = ? AND version = ?');
  }

  getMany(keys) {
    const out = new Map();
    for (const key of keys) {
      const row = this.#get.get(key);
      out.set(key, row ? { value: new Uint8Array(row.value), version: row.version } : null);
    }
    return out;
  }

  /** Applies every write and queues every job effect, or nothing when a version does not match. */
  commit(writes, effects = []) {
    const apply = this.#db.transaction(() => {
      for (const { key, expect, value } of writes) {
        let changed;
        if (value === null) {
          changed = this.#delete.run(key, expect).changes === 1;
        } else if (expect === 0) {
          changed = this.#get.get(key) === undefined && this.#insert.run(key, Buffer.from(value)).changes === 1;
        } else {
          changed = this.#put.run(Buffer.from(value), key, expect).changes === 1;
        }
        if (!changed) throw new ConflictError();
      }
      for (const effect of effects) this.#addJob.run(JSON.stringify(effect));
    });
    try {
      // IMMEDIATE: the write lock is taken (waiting up to busy_timeout) before
      // the first read. A deferred transaction that reads and then writes
      // fails at once with SQLITE_BUSY_SNAPSHOT when another connection (the
      // job worker) committed in between: the busy timeout never applies.
      apply.immediate();
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /**
   * The progress of a running job, stored where the handler said: outside the
   * compare-and-set commits (nothing the job commits reads it).
   */
  putProgress(key, value) {
    this.#db.prepare('INSERT INTO kv (key, value, version) VALUES (?, ?, 1) ON CONFLICT(key) DO UPDATE SET ' +
      'value = excluded.value, version = version + 1').run(key, Buffer.from(value));
  }

  deleteProgress(key) {
    this.#db.prepare('DELETE FROM kv WHERE key = ?').run(key);
  }

  /** Provisions an API key for `org` (the record the handler looks up). */
  putApiKey(org, apiKey) {
    const hash = createHash('sha256').update(apiKey).digest('hex');
    const value = Buffer.from(JSON.stringify({ org, hash }));
    this.#db.prepare('INSERT INTO kv (key, value, version) VALUES (?, ?, 1) ON CONFLICT(key) DO UPDATE SET ' +
      'value = excluded.value, version = version + 1').run(`apikey:${hash}`, value);
  }

  /** The next job due at `now`, or null: {id, effect, attempts}. */
  nextJob(now) {
    const row = this.#db.prepare('SELECT id, effect, attempts FROM jobs WHERE not_before <= ? ORDER BY id LIMIT 1').get(now);
    return row ? { id: row.id, effect: JSON.parse(row.effect), attempts: row.attempts } : null;
  }

  finishJob(id) {
    this.#db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
  }

  retryJob(id, notBefore) {
    this.#db.prepare('UPDATE jobs SET attempts = attempts + 1, not_before = ? WHERE id = ?').run(notBefore, id);
  }

  hasApiKeys() {
    return this.#db.prepare("SELECT 1 FROM kv WHERE key LIKE 'apikey:%' LIMIT 1").get() !== undefined;
  }

  close() {
    this.#db.close();
  }
}

class ConflictError extends Error {}
