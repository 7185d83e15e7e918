// libFuzzer target: the JSON reader on any text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "read/json_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<sluice::Notice> notices;
  sluice::ReadLimits limits;
  limits.max_json_depth = 32;
  limits.max_columns = 512;
  sluice::Result<sluice::JsonTable> table = sluice::ReadJson(text, limits, &notices);
  if (!table.ok() && table.error().code.empty()) std::abort();
  return 0;
}
