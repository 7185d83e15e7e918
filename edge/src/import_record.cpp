// Import records and review tokens.
#include "import_record.h"

#include "crypto/sha256.h"

namespace sluice::edge {
namespace {

std::string ReviewSignature(const HostConfig& config, const std::string& org, const std::string& id,
                            const std::string& expires) {
  return ToHex(HmacSha256(config.secret, "review\n" + org + "\n" + id + "\n" + expires));
}

}  // namespace

std::optional<nlohmann::ordered_json> ReadRecord(const StoredValue* stored) {
  if (!stored) return std::nullopt;
  nlohmann::ordered_json record = nlohmann::ordered_json::parse(stored->value, nullptr, false);
  if (!record.is_object()) return std::nullopt;
  return record;
}

std::string Status(const nlohmann::ordered_json& record) {
  auto status = record.find("status");
  return status != record.end() && status->is_string() ? status->get<std::string>() : "";
}

std::string ProcessEffect(const std::string& org, const std::string& id) {
  return nlohmann::ordered_json{{"type", "process_import"}, {"org", org}, {"id", id}}.dump();
}

std::string ReviewToken(const HostConfig& config, const std::string& org, const std::string& id, int64_t expires_ms) {
  std::string expires = std::to_string(expires_ms);
  return org + "." + expires + "." + ReviewSignature(config, org, id, expires);
}

ReviewTokenCheck CheckReviewToken(const HostConfig& config, const std::string& id, const std::string& token,
                                  int64_t now_ms, std::string* org) {
  // From the right: the organisation may hold dots, the other parts cannot.
  size_t last = token.rfind('.');
  if (last == std::string::npos || last == 0) return ReviewTokenCheck::kInvalid;
  size_t middle = token.rfind('.', last - 1);
  if (middle == std::string::npos || middle == 0) return ReviewTokenCheck::kInvalid;
  std::string token_org = token.substr(0, middle);
  std::string expires = token.substr(middle + 1, last - middle - 1);
  if (expires.empty() || expires.size() > 18 || expires.find_first_not_of("0123456789") != std::string::npos) {
    return ReviewTokenCheck::kInvalid;
  }
  if (!ConstantTimeEquals(token.substr(last + 1), ReviewSignature(config, token_org, id, expires))) {
    return ReviewTokenCheck::kInvalid;
  }
  *org = token_org;
  return now_ms > std::stoll(expires) ? ReviewTokenCheck::kExpired : ReviewTokenCheck::kValid;
}

}  // namespace sluice::edge
