// A headless import's stored record, read and judged one way by every route
// that touches it (imports, review, webhooks): its JSON object, its status,
// the job effect that processes it, and the review capability token.
#ifndef SLUICE_EDGE_IMPORT_RECORD_H_
#define SLUICE_EDGE_IMPORT_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice_edge/handler.h"

namespace sluice::edge {

//! The record as JSON; nullopt when absent or not an object.
std::optional<nlohmann::ordered_json> ReadRecord(const StoredValue* stored);
//! Its "status" ("" when missing).
std::string Status(const nlohmann::ordered_json& record);
//! The effect that makes the host run the processing job of one import.
std::string ProcessEffect(const std::string& org, const std::string& id);

//! Review links live 7 days.
constexpr int64_t kReviewValidMs = 7LL * 24 * 3600 * 1000;
//! The review capability of one import: "<org>.<expires ms>.<hex HMAC of
//! "review\n<org>\n<id>\n<expires>">". Valid for that import's review
//! routes only (the id is signed; no other route reads review tokens).
std::string ReviewToken(const HostConfig& config, const std::string& org, const std::string& id, int64_t expires_ms);

enum class ReviewTokenCheck { kValid, kInvalid, kExpired };
//! Checks `token` for import `id` at `now_ms`; when genuine, sets `org`.
ReviewTokenCheck CheckReviewToken(const HostConfig& config, const std::string& id, const std::string& token,
                                  int64_t now_ms, std::string* org);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_IMPORT_RECORD_H_
