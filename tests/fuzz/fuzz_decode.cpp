// libFuzzer target: DecodeText must turn any bytes into valid UTF-8 without
// NUL bytes.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "decode/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::DecodedText decoded = sluice::DecodeText(std::string(reinterpret_cast<const char*>(data), size));
  if (!simdjson::validate_utf8(decoded.text.data(), decoded.text.size())) std::abort();
  if (std::memchr(decoded.text.data(), 0, decoded.text.size()) != nullptr) std::abort();
  return 0;
}
