// embind bindings of the core for the npm package `sluice`. Thin by design:
// each call takes bytes, calls the core's public API, and returns one buffer
// (a JSON document) that the JavaScript wrapper (wasm/js/) decodes.
#include <emscripten/bind.h>

#include <string>

#include "sluice/json_writer.h"
#include "sluice/parse.h"
#include "sluice/version.h"

namespace {

std::string ErrorJson(const sluice::Error& error) {
  sluice::JsonWriter out;
  out.BeginObject();
  out.Key("error");
  out.BeginObject();
  out.Key("code");
  out.String(error.code);
  out.Key("message");
  out.String(error.message);
  if (error.offset >= 0) {
    out.Key("offset");
    out.Int(error.offset);
  }
  out.EndObject();
  out.EndObject();
  return out.Take();
}

// {"rows": [[...]...]} or {"error": {...}}. `bytes` arrives as a std::string
// copied from a Uint8Array; `delimiter` is one byte.
std::string ParseRows(std::string bytes, std::string delimiter) {
  sluice::ParseOptions options;
  if (delimiter.size() != 1) {
    return ErrorJson({"invalid_option", "the delimiter must be one character", -1});
  }
  options.delimiter = delimiter[0];
  sluice::Result<sluice::Table> table = sluice::ParseDelimited(std::move(bytes), options);
  if (!table.ok()) return ErrorJson(table.error());
  std::string rows = sluice::RowsToJson(table.value());
  std::string out;
  out.reserve(rows.size() + 10);
  out.append("{\"rows\":").append(rows).append("}");
  return out;
}

std::string Versions() { return sluice::VersionsJson(); }

}  // namespace

EMSCRIPTEN_BINDINGS(sluice_core) {
  emscripten::function("parseRows", &ParseRows);
  emscripten::function("versions", &Versions);
}
