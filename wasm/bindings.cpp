// embind bindings of the core for the npm package `sluice`. Thin by design:
// each call takes the file's bytes and options as JSON, calls the core's public
// API, and returns one buffer (a JSON document) that wasm/js/ decodes.
#include <emscripten/bind.h>

#include <string>

#include "sluice/read.h"
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

}  // namespace

EMSCRIPTEN_BINDINGS(sluice_core) {
  emscripten::function("parseRows", &ParseRows);
  emscripten::function("inspect", &InspectFile);
  emscripten::function("versions", &Versions);
}
