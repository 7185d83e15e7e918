// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for API key hashes and URL
// and webhook signatures. Pure functions over bytes; no state between calls.
#ifndef SLUICE_EDGE_CRYPTO_SHA256_H_
#define SLUICE_EDGE_CRYPTO_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::edge {

using Digest = std::array<uint8_t, 32>;

Digest Sha256(std::string_view data);
Digest HmacSha256(std::string_view key, std::string_view message);

//! Lower-case hex of `bytes`.
std::string ToHex(std::string_view bytes);
std::string ToHex(const Digest& digest);

//! Equality that takes the same time wherever the first difference is.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_CRYPTO_SHA256_H_
