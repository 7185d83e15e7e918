// RouteContext: what a route works with. The request, the organisation its key
// belongs to, the stored values (asking for the missing ones), the writes and
// effects it decides, and the few things every route needs: parsing a JSON
// body safely, new ids, the time as ISO 8601.
#ifndef SLUICE_EDGE_CONTEXT_H_
#define SLUICE_EDGE_CONTEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice_edge/handler.h"

namespace sluice::edge {

class RouteContext {
 public:
  explicit RouteContext(const HandlerInput& input) : input_(input) {}

  const HandlerInput& input() const { return input_; }
  const Request& request() const { return input_.request; }
  const std::string& org() const { return org_; }
  void set_org(std::string org) { org_ = std::move(org); }
  //! Path segments after the route's prefix, e.g. the id of /schemas/{id}/.
  std::vector<std::string>& params() { return params_; }

  //! The stored value of `key`, or nullptr when absent. When it has not been
  //! fetched yet, nullptr too, and the key is recorded as needed: check
  //! missing() before relying on an answer.
  const StoredValue* Get(const std::string& key);
  bool missing() const { return !need_.empty(); }

  //! Compare-and-set writes against the version read (Get it first).
  void Put(const std::string& key, std::string value);
  void Delete(const std::string& key);
  void AddEffect(std::string effect_json) { effects_.push_back(std::move(effect_json)); }
  void WriteBlob(std::string name, std::string bytes) { blob_writes_.emplace_back(std::move(name), std::move(bytes)); }
  void MoveBlob(std::string from, std::string to) { blob_moves_.push_back({std::move(from), std::move(to)}); }
  void DeleteBlob(std::string name) { blob_deletes_.push_back(std::move(name)); }
  //! Whether the host takes blob bytes as they are made (HandlerInput::blob_chunk).
  bool CanStreamBlobs() const { return static_cast<bool>(input_.blob_chunk); }
  //! The host reads its stored blobs during the call (HandlerInput::blob_reader).
  bool CanReadBlobs() const { return static_cast<bool>(input_.blob_reader); }
  //! A stored blob's size, nullopt when absent (CanReadBlobs only).
  std::optional<uint64_t> BlobSize(std::string_view name) const { return input_.blob_reader.size(name); }
  //! Up to `n` bytes of a stored blob from `offset` (CanReadBlobs only): how many.
  size_t ReadBlob(std::string_view name, uint64_t offset, char* into, size_t n) const {
    return input_.blob_reader.read(name, offset, into, n);
  }
  //! Appends bytes to the host's pending blob `name` (CanStreamBlobs only).
  void StreamBlobChunk(std::string_view name, std::string_view bytes) const { input_.blob_chunk(name, bytes); }
  //! The pending blob `name` is written, as WriteBlob would write it.
  void CommitStreamedBlob(std::string name) { blob_streams_.push_back(std::move(name)); }
  //! Answers with a stored blob as the body (the host streams it).
  void ServeBlob(std::string name) { response_blob_ = std::move(name); }

  //! The body as a JSON value, or nullopt with `error` set to a 400 answer.
  std::optional<nlohmann::ordered_json> JsonBody(Response* error) const;
  //! A new UUID (version 4) from the host's random bytes.
  std::string NewId();
  //! The host's clock as "2026-11-29T13:10:00.000Z".
  std::string NowIso() const;

  //! The output: what was needed, or the response with the writes and effects.
  HandlerOutput Finish(Response response);

 private:
  const HandlerInput& input_;
  std::string org_;
  std::vector<std::string> params_;
  std::vector<std::string> need_;
  std::vector<KvWrite> writes_;
  std::vector<std::string> effects_;
  std::vector<std::pair<std::string, std::string>> blob_writes_;
  std::vector<std::string> blob_streams_;
  std::vector<BlobMove> blob_moves_;
  std::vector<std::string> blob_deletes_;
  std::string response_blob_;
  uint32_t ids_made_ = 0;
};

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_CONTEXT_H_
