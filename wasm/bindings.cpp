// embind bindings of the core for the npm package `sluice`. Thin by design:
// each call takes the file's bytes and options as JSON, calls the core's public
// API, and returns one buffer (a JSON document) that wasm/js/ decodes.
#include <emscripten/bind.h>

#include <string>

#include <cstdint>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "sluice/import.h"
#include "sluice/read.h"
#include "sluice/schema.h"
#include "sluice/json_writer.h"
#include "sluice/version.h"

namespace {

// {"rows": [[...]...]} or {"error": {...}}.
std::string ParseRows(std::string bytes, std::string options_json) {
  sluice::Result<sluice::ReadOptions> options = sluice::ReadOptionsFromJson(options_json);
  if (!options.ok()) return sluice::ErrorToJson(options.error());
  sluice::Result<sluice::ReadResult> read = sluice::ReadTable(std::move(bytes), options.value());
  if (!read.ok()) return sluice::ErrorToJson(read.error());
  std::string rows = sluice::RowsToJson(read.value().table);
  std::string out;
  out.reserve(rows.size() + 10);
  out.append("{\"rows\":").append(rows).append("}");
  return out;
}

// The inspection (as the CLI prints it) or {"error": {...}}.
std::string InspectFile(std::string bytes, std::string options_json, int preview_rows) {
  sluice::Result<sluice::ReadOptions> options = sluice::ReadOptionsFromJson(options_json);
  if (!options.ok()) return sluice::ErrorToJson(options.error());
  sluice::Result<sluice::Inspection> inspection = sluice::Inspect(std::move(bytes), options.value());
  if (!inspection.ok()) return sluice::ErrorToJson(inspection.error());
  return sluice::InspectionToJson(inspection.value(), preview_rows < 0 ? 0 : static_cast<size_t>(preview_rows));
}

std::string Versions() { return sluice::VersionsJson(); }

// The last packed result, kept until the next call so JavaScript can copy it
// out of the module's memory (bindings only: the core holds no state).
std::string last_packed;

void AppendU32(std::string& out, uint32_t value) { out.append(reinterpret_cast<const char*>(&value), 4); }

// One buffer for an import: u32 length + JSON head {outcome, reasons,
// metadata} (or {error}), u32 row count, u32 offsets (count + 1) into the rows
// bytes, then the rows: one JSON object each, decoded by JavaScript on demand.
emscripten::val ImportFile(std::string bytes, std::string schema_json, std::string options_json) {
  last_packed.clear();
  auto pack_head_only = [&](const std::string& head) {
    AppendU32(last_packed, static_cast<uint32_t>(head.size()));
    last_packed.append(head);
    AppendU32(last_packed, 0);
    AppendU32(last_packed, 0);
  };
  sluice::SchemaLoad load = sluice::LoadSchema(schema_json);
  if (!load.schema) {
    pack_head_only("{\"error\":{\"code\":\"schema_invalid\",\"message\":\"the schema does not hold together\","
                   "\"details\":" + sluice::SchemaProblemsToJson(load.problems) + "}}");
    return emscripten::val(emscripten::typed_memory_view(last_packed.size(), last_packed.data()));
  }
  // Options: the read options, plus "mapping" {header: fieldKey}.
  sluice::ImportOptions options;
  nlohmann::json parsed = nlohmann::json::parse(options_json.empty() ? "{}" : options_json, nullptr, false);
  if (parsed.is_object() && parsed.contains("mapping")) {
    const nlohmann::json& mapping = parsed["mapping"];
    if (!mapping.is_object()) {
      pack_head_only(sluice::ErrorToJson({"invalid_option", "$.mapping: must be an object of header to field key", -1}));
      return emscripten::val(emscripten::typed_memory_view(last_packed.size(), last_packed.data()));
    }
    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
      if (!it.value().is_string()) {
        pack_head_only(sluice::ErrorToJson({"invalid_option", "$.mapping." + it.key() + ": must be a field key", -1}));
        return emscripten::val(emscripten::typed_memory_view(last_packed.size(), last_packed.data()));
      }
      options.mapping[it.key()] = it.value().get<std::string>();
    }
    parsed.erase("mapping");
  }
  sluice::Result<sluice::ReadOptions> read = sluice::ReadOptionsFromJson(parsed.is_object() ? parsed.dump() : options_json);
  if (!read.ok()) {
    pack_head_only(sluice::ErrorToJson(read.error()));
    return emscripten::val(emscripten::typed_memory_view(last_packed.size(), last_packed.data()));
  }
  options.read = read.value();
  sluice::ImportResult result = sluice::RunImport(std::move(bytes), *load.schema, options);

  std::string head = "{\"outcome\":" + result.OutcomeJson() + ",\"metadata\":" + result.Metadata() + "}";
  std::string rows = result.Rows(sluice::RowFormat::kNdjson);
  std::vector<uint32_t> offsets{0};
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] == '\n') offsets.push_back(static_cast<uint32_t>(i + 1));
  }
  AppendU32(last_packed, static_cast<uint32_t>(head.size()));
  last_packed.append(head);
  AppendU32(last_packed, static_cast<uint32_t>(offsets.size() - 1));
  for (uint32_t offset : offsets) AppendU32(last_packed, offset);
  last_packed.append(rows);
  return emscripten::val(emscripten::typed_memory_view(last_packed.size(), last_packed.data()));
}

std::string CheckSchema(std::string schema_json) {
  sluice::SchemaLoad load = sluice::LoadSchema(schema_json);
  return "{\"valid\":" + std::string(load.schema ? "true" : "false") +
         ",\"problems\":" + sluice::SchemaProblemsToJson(load.problems) + "}";
}

}  // namespace

EMSCRIPTEN_BINDINGS(sluice_core) {
  emscripten::function("parseRows", &ParseRows);
  emscripten::function("inspect", &InspectFile);
  emscripten::function("versions", &Versions);
  emscripten::function("importFile", &ImportFile);
  emscripten::function("checkSchema", &CheckSchema);
}
