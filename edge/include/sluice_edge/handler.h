// The HTTP API as a pure function: HandlerInput in, HandlerOutput out. No
// clock, randomness or I/O inside: the host passes `now`, random bytes and the
// stored values the handler asked for, and carries out the writes and effects
// the output lists (DESIGN.md, "The edge handler").
//
// One call may take a few rounds: when a route needs stored values it has not
// been given, the output lists them in `need_kv` (and nothing else); the host
// fetches them and calls again with the same request. Writes are
// compare-and-set: each names the version it expects, and the host applies
// all of a call's writes atomically or, on a conflict, runs the call again.
//
// Blobs (uploaded files, results) stay out of the handler where they can: an
// upload arrives as `body_blob` (the host already stored the bytes under that
// name) and a response may be `response_blob` (the host streams it). The
// handler names blobs to write, move and delete; the host writes new blobs
// before the key-value writes commit (so what the writes announce exists) and
// moves and deletes after.
//
// Input frame parts:  "request" JSON {method, path, query, headers {lower-case
//                     name: value}, now_ms, config {base_url, secret,
//                     rate_limits? {creates_per_minute, polls_per_minute},
//                     allow_private_webhooks?},
//                     kv_versions {key: version}, kv_absent [key...],
//                     body_blob?, body_size?, internal?}, "body" raw bytes,
//                     "random" raw bytes, "kv:<key>" values.
// Output frame parts: "response" JSON {status, headers [[name, value]...],
//                     need_kv [key...], kv_writes [{key, expect, delete?}],
//                     blob_writes [name...], blob_moves [{from, to}],
//                     blob_deletes [name...], response_blob?, effects [...]},
//                     "body" raw bytes, "kv:<key>" values written,
//                     "blob:<name>" blobs written.
#ifndef SLUICE_EDGE_HANDLER_H_
#define SLUICE_EDGE_HANDLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sluice/error.h"
#include "sluice_edge/envelope.h"

namespace sluice::edge {

struct Request {
  std::string method;  //!< upper case, e.g. "GET"
  std::string path;    //!< without the query, e.g. "/api/v1/schemas/"
  std::string query;   //!< raw query string without '?'
  std::map<std::string, std::string> headers;  //!< names lower case
  std::string_view body;  //!< raw bytes, a view into the input frame (no copy of uploads)
};

struct HostConfig {
  std::string base_url;  //!< where the host is reached, e.g. "http://127.0.0.1:8787"
  std::string secret;    //!< the host's signing secret (URL signatures)
  //! Rate limits per minute (API.md); 0 turns a limit off.
  uint32_t creates_per_minute = 20;  //!< import creates, per organisation
  uint32_t polls_per_minute = 12;    //!< GETs of one import, per import
  //! Webhooks may point at http:// and at private or loopback addresses (the
  //! host's SLUICE_ALLOW_PRIVATE_WEBHOOKS=1, for development and tests).
  bool allow_private_webhooks = false;
};

//! A stored value and its version (versions start at 1; 0 means absent).
struct StoredValue {
  std::string value;
  uint64_t version = 0;
};

//! A host's stored blobs, read during a call (HandlerInput::read_blobs).
struct BlobReader {
  //! The blob's size; nullopt when there is none.
  std::function<std::optional<uint64_t>(std::string_view name)> size;
  //! Up to `n` of the blob's bytes from `offset` into `into`; how many (fewer
  //! only at its end, 0 past it).
  std::function<size_t(std::string_view name, uint64_t offset, char* into, size_t n)> read;
  explicit operator bool() const { return size && read; }
};

struct HandlerInput {
  Request request;
  //! Set when the host stored the request body as a blob instead of passing it.
  std::string body_blob;
  uint64_t body_size = 0;
  //! A call from the host itself (a job), never from the network.
  bool internal = false;
  int64_t now_ms = 0;       //!< the host's clock, milliseconds since the epoch
  std::string random;       //!< random bytes from the host
  HostConfig config;
  //! The stored values fetched so far: a value, or nullopt when known absent.
  std::map<std::string, std::optional<StoredValue>> kv;
  //! Where a long job reports how far it got, while it runs (not part of the
  //! frame: the WASI module's `sluice.progress` import). Each report is JSON
  //! {"key", "value"}: the host stores `value` under `key` as it comes, and
  //! removes the key when the job is done. May be empty.
  std::function<void(std::string_view)> progress;
  //! The host takes a blob's bytes as they are made (request meta
  //! "stream_blobs": true; the WASI module's `sluice.blob_chunk` import).
  bool stream_blobs = false;
  //! Where a long job writes a blob's bytes as it makes them, when
  //! stream_blobs: (name, bytes), appended by the host to a pending blob of
  //! that name. The answer's blob_streams commits pending blobs (as
  //! blob_writes would write them); the host discards every other pending
  //! blob of the call. Not part of the frame; may be empty.
  std::function<void(std::string_view, std::string_view)> blob_chunk;
  //! The host reads stored blobs during the call (request meta
  //! "read_blobs": true; the WASI module's `sluice.blob_size` and
  //! `sluice.read_blob` imports): a long job reads a large upload in pieces
  //! instead of being given it whole. Not part of the frame; may be empty.
  bool read_blobs = false;
  BlobReader blob_reader;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

//! A compare-and-set write: applied only if the key's version is still
//! `expect` (0: the key must not exist). `value` nullopt deletes.
struct KvWrite {
  std::string key;
  std::optional<std::string> value;
  uint64_t expect = 0;
};

struct BlobMove {
  std::string from;
  std::string to;
};

struct HandlerOutput {
  std::vector<std::string> need_kv;  //!< non-empty: fetch these and call again
  Response response;
  std::string response_blob;         //!< set: the body is this blob, streamed by the host
  std::vector<KvWrite> kv_writes;
  std::vector<std::pair<std::string, std::string>> blob_writes;  //!< (name, bytes)
  std::vector<std::string> blob_streams;  //!< pending blobs (HandlerInput::blob_chunk) to commit, as blob_writes
  std::vector<BlobMove> blob_moves;
  std::vector<std::string> blob_deletes;
  std::vector<std::string> effects;  //!< JSON objects for the host to carry out
};

//! Reads a HandlerInput from an input frame; its body and stored values view
//! the frame's bytes, which must outlive it. Errors: `envelope_malformed`.
Result<HandlerInput> DecodeInput(const FrameView& frame);
//! The output as a frame; its bodies are moved, not copied.
Frame EncodeOutput(HandlerOutput output);

//! Answers one request (or asks for stored values). Never fails: every
//! problem becomes an HTTP error.
HandlerOutput Handle(const HandlerInput& input);

//! Frame bytes in, frame bytes out: DecodeFrame, DecodeInput, Handle,
//! EncodeOutput. A frame the host built wrongly yields a "fault" part (JSON
//! {code, message}) instead of a response; that is a host bug, never a client's.
//! `prefix` bytes of room are left before the frame (EncodeFrame).
//! `blob_chunk` is offered to the handler when the request says stream_blobs,
//! `blob_reader` when it says read_blobs.
std::string HandleFrame(std::string_view input_frame, const std::function<void(std::string_view)>& progress = {},
                        size_t prefix = 0,
                        const std::function<void(std::string_view, std::string_view)>& blob_chunk = {},
                        const BlobReader& blob_reader = {});

//! The stored key of an API key: "apikey:" + hex SHA-256 of the key. Hosts
//! provision keys by writing {"org": "<organisation>"} under it.
std::string ApiKeyRecordKey(std::string_view api_key);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_HANDLER_H_
