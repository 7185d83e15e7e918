// RouteContext: reads with needs, compare-and-set writes, ids and time.
#include "context.h"

#include <algorithm>

#include "crypto/sha256.h"
#include "responses.h"
#include "sluice/schema.h"
#include "sluice/timestamp.h"

namespace sluice::edge {

const StoredValue* RouteContext::Get(const std::string& key) {
  auto it = input_.kv.find(key);
  if (it == input_.kv.end()) {
    if (std::find(need_.begin(), need_.end(), key) == need_.end()) need_.push_back(key);
    return nullptr;
  }
  return it->second ? &*it->second : nullptr;
}

void RouteContext::Put(const std::string& key, std::string value) {
  auto it = input_.kv.find(key);
  uint64_t expect = it != input_.kv.end() && it->second ? it->second->version : 0;
  writes_.push_back({key, std::move(value), expect});
}

void RouteContext::Delete(const std::string& key) {
  auto it = input_.kv.find(key);
  uint64_t expect = it != input_.kv.end() && it->second ? it->second->version : 0;
  writes_.push_back({key, std::nullopt, expect});
}

std::optional<nlohmann::ordered_json> RouteContext::JsonBody(Response* error) const {
  // Deep nesting is refused before parsing: the code that serialises and walks
  // JSON recurses, and a module's stack is small.
  if (JsonNestingDepth(input_.request.body) > kMaxJsonNesting) {
    *error = ErrorResponse(400, "invalid_body", "the request body nests deeper than " +
                                                    std::to_string(kMaxJsonNesting) + " levels");
    return std::nullopt;
  }
  nlohmann::ordered_json body = nlohmann::ordered_json::parse(input_.request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    *error = ErrorResponse(400, "malformed_json", "the request body is not valid JSON");
    return std::nullopt;
  }
  if (!body.is_object()) {
    *error = ErrorResponse(400, "invalid_body", "the request body must be a JSON object", "[{\"path\":\"$\"}]");
    return std::nullopt;
  }
  return body;
}

std::string RouteContext::NewId() {
  // HMAC(random, counter): many ids per call from the host's random bytes.
  std::string counter = "id" + std::to_string(ids_made_++);
  Digest digest = HmacSha256(input_.random, counter);
  digest[6] = static_cast<uint8_t>((digest[6] & 0x0F) | 0x40);  // version 4
  digest[8] = static_cast<uint8_t>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string hex = ToHex(digest).substr(0, 32);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

std::string RouteContext::NowIso() const { return IsoTimestamp(input_.now_ms); }

HandlerOutput RouteContext::Finish(Response response) {
  HandlerOutput output;
  if (!need_.empty()) {
    output.need_kv = std::move(need_);
    return output;
  }
  output.response = std::move(response);
  output.kv_writes = std::move(writes_);
  output.effects = std::move(effects_);
  output.blob_writes = std::move(blob_writes_);
  output.blob_streams = std::move(blob_streams_);
  output.blob_moves = std::move(blob_moves_);
  output.blob_deletes = std::move(blob_deletes_);
  output.response_blob = std::move(response_blob_);
  return output;
}

}  // namespace sluice::edge
