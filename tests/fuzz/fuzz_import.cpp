// libFuzzer target: any bytes as a file imported with a fixed schema (unique,
// unique_with, manyToOne, every common type), whole and streamed in chunks of
// two rows: the streamed bytes must equal the whole import's rows in every
// format, with the same metadata; the same through ImportPasses (the import
// in passes), the bytes given in pieces of a size the input chooses; and
// reading the bytes where they lie must give what reading a copy gives. A
// difference aborts (a finding).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "sluice/import.h"
#include "sluice/read.h"
#include "sluice/schema.h"

namespace {

const sluice::Schema& FuzzSchema() {
  static const sluice::Schema* schema = [] {
    sluice::SchemaLoad load = sluice::LoadSchema(R"({"fields": [
      {"key": "id", "label": "Id", "type": "number", "validators": [{"validate": "unique"}]},
      {"key": "email", "label": "Email", "type": "email", "validators": [{"validate": "unique_case_insensitive"}]},
      {"key": "first", "label": "First", "validators": [{"validate": "unique_with", "uniqueKey": "n"}]},
      {"key": "last", "label": "Last", "validators": [{"validate": "unique_with", "uniqueKey": "n"}, {"validate": "required"}]},
      {"key": "date", "label": "Date", "type": "date"},
      {"key": "plan", "label": "Plan", "type": "select", "selectOptions": [{"label": "Pro", "value": "pro"}]},
      {"key": "tags", "label": "Tags", "manyToOne": true}
    ], "settings": {"passThroughUnmappedColumns": true}})");
    if (!load.schema) std::abort();
    return new sluice::Schema(*load.schema);
  }();
  return *schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  sluice::ImportOptions options;
  options.read.limits.max_uncompressed_bytes = 64 << 20;  // keep each run small

  sluice::Result<sluice::Inspection> copied = sluice::Inspect(bytes, options.read);
  sluice::Result<sluice::Inspection> viewed = sluice::InspectViewing(bytes, options.read);
  if (copied.ok() != viewed.ok()) std::abort();
  if (copied.ok() && sluice::InspectionToJson(copied.value(), 50) != sluice::InspectionToJson(viewed.value(), 50)) {
    std::abort();
  }

  sluice::ImportResult whole = sluice::RunImport(bytes, FuzzSchema(), options);
  std::string json, ndjson, csv;
  std::vector<sluice::RowStream> streams{
      {sluice::RowFormat::kJson, [&](std::string_view chunk) { json.append(chunk); }},
      {sluice::RowFormat::kNdjson, [&](std::string_view chunk) { ndjson.append(chunk); }},
      {sluice::RowFormat::kCsv, [&](std::string_view chunk) { csv.append(chunk); }},
  };
  sluice::ImportResult streamed = sluice::RunImport(std::string_view(bytes), FuzzSchema(), options, streams, 2);
  const bool failed = whole.outcome() == sluice::Outcome::kFailed;
  if (json != (failed ? "" : whole.Rows(sluice::RowFormat::kJson))) std::abort();
  if (ndjson != (failed ? "" : whole.Rows(sluice::RowFormat::kNdjson))) std::abort();
  if (csv != (failed ? "" : whole.Rows(sluice::RowFormat::kCsv))) std::abort();
  if (streamed.Metadata(SIZE_MAX) != whole.Metadata(SIZE_MAX)) std::abort();

  std::string passes_json, passes_ndjson, passes_csv;
  std::vector<sluice::RowStream> passes_streams{
      {sluice::RowFormat::kJson, [&](std::string_view chunk) { passes_json.append(chunk); }},
      {sluice::RowFormat::kNdjson, [&](std::string_view chunk) { passes_ndjson.append(chunk); }},
      {sluice::RowFormat::kCsv, [&](std::string_view chunk) { passes_csv.append(chunk); }},
  };
  sluice::ImportPasses passes(FuzzSchema(), options, passes_streams);
  const size_t piece = size == 0 ? 1 : 1 + data[size / 2] % 97;
  size_t pass = 0;
  do {
    if (++pass > 3) std::abort();  // two passes, three at most
    for (size_t at = 0; at < size; at += piece) passes.Feed(std::string_view(bytes).substr(at, piece));
  } while (passes.EndPass());
  sluice::ImportResult read_in_passes = passes.Take();
  if (passes_json != json || passes_ndjson != ndjson || passes_csv != csv) std::abort();
  if (read_in_passes.Metadata(SIZE_MAX) != whole.Metadata(SIZE_MAX)) std::abort();
  return 0;
}
