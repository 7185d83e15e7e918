// libFuzzer target: any bytes through the whole read path (decode, sniff,
// every reader, header detection) and the JSON it prints. Must never crash,
// hang or leak; every failure must be an Error with a code.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sluice/read.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::ReadOptions options;
  options.limits.max_uncompressed_bytes = 64 << 20;  // keep each run small
  sluice::Result<sluice::Inspection> inspection =
      sluice::Inspect(std::string(reinterpret_cast<const char*>(data), size), options);
  if (inspection.ok()) {
    std::string json = sluice::InspectionToJson(inspection.value(), 5);
    if (json.empty()) std::abort();
    (void)sluice::RowsToJson(inspection.value().read.table);
  } else if (inspection.error().code.empty()) {
    std::abort();
  }
  return 0;
}
