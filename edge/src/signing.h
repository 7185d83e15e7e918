// Signed URLs: a path with an expiry and an HMAC-SHA256 over method, path and
// expiry, made with the host's secret. Who holds the URL may use it until it
// expires; changing any part of it breaks the signature. Also the query
// string parser every route uses.
#ifndef SLUICE_EDGE_SIGNING_H_
#define SLUICE_EDGE_SIGNING_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sluice_edge/handler.h"

namespace sluice::edge {

//! `path` + "?expires=<ms>&signature=<hex>" (plus `extra_query` when given).
std::string SignPath(const HostConfig& config, std::string_view method, const std::string& path, int64_t expires_ms,
                     const std::string& extra_query = "");

enum class SignatureCheck { kValid, kAltered, kExpired };
//! Checks the signature of `method path?query` at time `now_ms`.
SignatureCheck CheckSignature(const HostConfig& config, std::string_view method, const std::string& path,
                              const std::string& query, int64_t now_ms);

//! "a=1&b=x%20y" -> {a: "1", b: "x y"}; the first of repeated names wins.
std::map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_SIGNING_H_
