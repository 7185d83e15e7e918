// URL signatures and query parsing.
#include "signing.h"

#include "crypto/sha256.h"

namespace sluice::edge {
namespace {

std::string Signature(const HostConfig& config, std::string_view method, const std::string& path, int64_t expires_ms) {
  return ToHex(HmacSha256(config.secret, std::string(method) + "\n" + path + "\n" + std::to_string(expires_ms)));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

std::string Decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string SignPath(const HostConfig& config, std::string_view method, const std::string& path, int64_t expires_ms,
                     const std::string& extra_query) {
  return path + "?" + (extra_query.empty() ? "" : extra_query + "&") + "expires=" + std::to_string(expires_ms) +
         "&signature=" + Signature(config, method, path, expires_ms);
}

SignatureCheck CheckSignature(const HostConfig& config, std::string_view method, const std::string& path,
                              const std::string& query, int64_t now_ms) {
  std::map<std::string, std::string> params = ParseQuery(query);
  auto expires = params.find("expires");
  auto signature = params.find("signature");
  if (expires == params.end() || signature == params.end() || expires->second.empty() || expires->second.size() > 18 ||
      expires->second.find_first_not_of("0123456789") != std::string::npos) {
    return SignatureCheck::kAltered;
  }
  int64_t expires_ms = std::stoll(expires->second);
  // Signature first: an expired URL is reported as expired only if it is genuine.
  if (!ConstantTimeEquals(signature->second, Signature(config, method, path, expires_ms))) return SignatureCheck::kAltered;
  return now_ms > expires_ms ? SignatureCheck::kExpired : SignatureCheck::kValid;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    std::string name = Decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1));
    if (!name.empty()) params.emplace(std::move(name), std::move(value));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return params;
}

}  // namespace sluice::edge
