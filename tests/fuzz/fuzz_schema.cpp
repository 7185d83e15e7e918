// libFuzzer target: any bytes as a schema document (clients send schemas to
// the API), and, when one loads, an import of a small file with it. nlohmann/json
// built without exceptions aborts on a wrong-typed read: this target is how we
// know no schema reaches one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sluice/import.h"
#include "sluice/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::SchemaLoad load = sluice::LoadSchema(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!load.schema) {
    if (load.problems.empty()) std::abort();
    (void)sluice::SchemaProblemsToJson(load.problems);
    return 0;
  }
  sluice::ImportResult result = sluice::RunImport(
      "name,email,amount,date,code\nAda,ada@x.io,1.5,2024-01-02,A\nBob,bob,abc,13/13/2024,\n,,,,\nAda,ada@x.io,2,x,B\n",
      *load.schema);
  (void)result.Rows(sluice::RowFormat::kJson);
  (void)result.Rows(sluice::RowFormat::kCsv);
  (void)result.Metadata();
  return 0;
}
