// The host's side of the handler protocol, for any storage: answer the
// handler's need_kv rounds, write its new blobs, apply its compare-and-set
// writes atomically (with the job effects), run the call again when a write
// lost a race, then carry out its blob moves and deletes. Platform-free (Node and Workers
// hosts share it). `store` provides:
//   getMany(keys) -> Map(key -> {value: Uint8Array, version} | null)      (may be async)
//   commit(writes, effects) -> true, or false on a version conflict       (may be async)
// and `blobs`: write(name, bytes), move(from, to), delete(name)          (may be async)
//   and optionally openPending(name) -> {write(bytes), commit(), discard()}: a blob
//   written as the handler makes it (write runs inside the module's call:
//   synchronous, or a promise the call waits for when the edge module is
//   suspending); without it the handler writes its blobs whole.
//   and optionally size(name) -> bytes | null and readRange(name, offset, target) ->
//   bytes read (fewer only at the blob's end; synchronous, or promises for a
//   suspending edge module): the handler reads a job's stored upload in pieces
//   during the call; without them the host gives it as the body.

const MAX_ROUNDS = 8;    // need_kv rounds in one call
const MAX_ATTEMPTS = 8;  // calls when writes conflict (with a growing, jittered pause between)

export class HandlerLoopError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'HandlerLoopError';
    this.code = code;
  }
}

/**
 * Runs one request to its answer: {status, headers, body, effects}.
 * `makeRequest()` builds a fresh request meta (a new clock reading) per attempt;
 * `makeRandom()` new random bytes; `onProgress({key, value})`, if given, gets
 * the progress reports of a long job while it runs.
 */
export async function runRequest(edge, store, blobs, { makeRequest, body, makeRandom, onProgress }) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = makeRequest();
    const random = makeRandom();
    const known = new Map();
    let answer = null;
    // Blobs the handler streams during a call (large results): pending until
    // its answer commits them; the rest are discarded.
    const pending = new Map();
    const discardPending = async () => {
      for (const blob of pending.values()) await blob.discard();
      pending.clear();
    };
    const onBlobChunk = blobs.openPending ? (name, bytes) => {
      if (!pending.has(name)) pending.set(name, blobs.openPending(name));
      return pending.get(name).write(bytes);
    } : undefined;
    const blobReader = blobs.readRange && blobs.size ? {
      size: (name) => blobs.size(name),
      read: (name, offset, target) => blobs.readRange(name, offset, target),
    } : undefined;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await discardPending();
      let out;
      try {
        out = await edge.call(request, body, random, known, { onProgress, onBlobChunk, blobReader });
      } catch (error) {
        await discardPending();
        throw error;
      }
      if (!out.needKv) {
        answer = out;
        break;
      }
      const fresh = out.needKv.filter((key) => !known.has(key));
      if (fresh.length === 0) throw new HandlerLoopError('protocol_loop', 'the handler asked again for keys it has');
      const fetched = await store.getMany(fresh);
      for (const key of fresh) known.set(key, fetched.get(key) ?? null);
    }
    if (!answer) throw new HandlerLoopError('too_many_rounds', `no answer after ${MAX_ROUNDS} rounds`);
    // New blobs before the commit, so no client sees a status whose blobs are
    // not there yet (a result marked SUCCESSFUL is readable at once); they are
    // removed again if the commit loses its race. Moves and deletes after it.
    for (const { name, bytes } of answer.blobWrites) await blobs.write(name, bytes);
    for (const name of answer.blobStreams) {
      const blob = pending.get(name);
      if (!blob) {
        await discardPending();
        throw new HandlerLoopError('protocol_blob', `the handler committed a blob it never wrote: ${name}`);
      }
      pending.delete(name);
      await blob.commit();
    }
    await discardPending();
    if ((answer.kvWrites.length === 0 && answer.effects.length === 0) || await store.commit(answer.kvWrites, answer.effects)) {
      for (const { from, to } of answer.blobMoves) await blobs.move(from, to);
      for (const name of answer.blobDeletes) await blobs.delete(name);
      return {
        status: answer.status,
        headers: answer.headers,
        body: answer.body,
        responseBlob: answer.responseBlob,
        effects: answer.effects,
      };
    }
    for (const { name } of answer.blobWrites) await blobs.delete(name);
    for (const name of answer.blobStreams) await blobs.delete(name);
    // Lost a race: let the winner's commit land, then read again. The pause
    // grows and is jittered so racing requests spread out (a store that is a
    // network hop away, like a Durable Object, has wider race windows).
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
  }
  throw new HandlerLoopError('write_conflict', `writes kept conflicting after ${MAX_ATTEMPTS} attempts`);
}
