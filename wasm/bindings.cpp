// embind bindings of the core for the npm package `sluice`. Thin by design:
// each call takes the file's bytes and options as JSON, calls the core's public
// API, and returns one buffer (a JSON document) that wasm/js/ decodes.
#include <emscripten/bind.h>

#include <memory>
#include <string>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include <malloc.h>

#include "sluice/hooks.h"
#include "sluice/import.h"
#include "sluice/read.h"
#include "sluice/review.h"
#include "sluice/schema.h"
#include "sluice/table.h"
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

// The packed answer, as a view of the module's memory (JavaScript copies it out).
emscripten::val Packed() {
  return emscripten::val(emscripten::typed_memory_view(last_packed.size(), last_packed.data()));
}

// One buffer for an import: u32 length + JSON head {outcome, reasons,
// metadata} (or {error}), u32 row count, u32 offsets (count + 1) into the rows
// bytes, then the rows: one JSON object each, decoded by JavaScript on demand.
//
// A schema with hooks runs in rounds (hooks.h): `hook_outputs` are the
// outputs so far, and the head's "hooks" is the next stage's request (null
// when finished). Option "skipHooks": true imports without them.
// `on_rows` a function: the rows are not packed but given to it as they are
// checked, a chunk of bytes at a time (a view of the module's memory, valid
// during the call), in the option "rowFormat" (json, ndjson or csv); only a
// chunk's values are in memory at once.
// A Uint8Array's bytes copied once into the module's memory (a std::string
// parameter would be copied twice: into a buffer, then into the string): into
// a string, or into a buffer that is not zero-filled first (streamed imports,
// which read the bytes where they lie).
void CopyBytes(const emscripten::val& input, char* to, size_t length) {
  emscripten::val(emscripten::typed_memory_view(length, reinterpret_cast<uint8_t*>(to))).call<void>("set", input);
}
std::string BytesOf(const emscripten::val& input) {
  std::string bytes(input["length"].as<size_t>(), '\0');
  CopyBytes(input, bytes.data(), bytes.size());
  return bytes;
}
// Bytes in malloc's memory (not zero-filled; a staged file can grow in place).
struct FreeBytes {
  void operator()(char* p) const { std::free(p); }
};
using Bytes = std::unique_ptr<char, FreeBytes>;

Bytes BufferOf(const emscripten::val& input, size_t* length) {
  *length = input["length"].as<size_t>();
  Bytes bytes(static_cast<char*>(std::malloc(*length ? *length : 1)));
  if (bytes) CopyBytes(input, bytes.get(), *length);
  return bytes;
}

// A file staged piece by piece straight into the module's memory (the
// package's importBlob and importStream): JavaScript never holds the whole
// file, and the module holds it once. The next importFile with a null input
// takes it.
Bytes staged;
size_t staged_capacity = 0;  // bytes of room
size_t staged_length = 0;    // bytes of file (StageEnd)

//! Room for `capacity` bytes of file; false when the module's memory cannot
//! hold them. Drops what was staged before.
bool StageInput(double capacity) {
  staged.reset();
  staged_capacity = staged_length = 0;
  if (!(capacity >= 0) || capacity > static_cast<double>(sluice::Table::kMaxTextBytes)) return false;
  const size_t bytes = static_cast<size_t>(capacity);
  staged.reset(static_cast<char*>(std::malloc(bytes ? bytes : 1)));
  if (!staged) return false;
  staged_capacity = bytes;
  return true;
}

//! More room (a file whose size was not known), keeping what is staged.
bool StageGrow(double capacity) {
  if (!staged || !(capacity >= static_cast<double>(staged_capacity)) ||
      capacity > static_cast<double>(sluice::Table::kMaxTextBytes)) {
    return false;
  }
  const size_t bytes = static_cast<size_t>(capacity);
  char* grown = static_cast<char*>(std::realloc(staged.get(), bytes ? bytes : 1));
  if (!grown) return false;
  staged.release();
  staged.reset(grown);
  staged_capacity = bytes;
  return true;
}

//! A piece of the staged file (a Uint8Array) at `offset`; false when it
//! falls outside the room made.
bool StageBytes(double offset, emscripten::val piece) {
  const size_t length = piece["length"].as<size_t>();
  if (!staged || !(offset >= 0) || offset > static_cast<double>(staged_capacity) ||
      length > staged_capacity - static_cast<size_t>(offset)) {
    return false;
  }
  CopyBytes(piece, staged.get() + static_cast<size_t>(offset), length);
  return true;
}

//! The staged file is `length` bytes (at most the room made).
bool StageEnd(double length) {
  if (!staged || !(length >= 0) || length > static_cast<double>(staged_capacity)) return false;
  staged_length = static_cast<size_t>(length);
  return true;
}

// An answer of a head alone (an error), no rows, packed as ImportFile packs.
emscripten::val PackHeadOnly(const std::string& head) {
  last_packed.clear();
  AppendU32(last_packed, static_cast<uint32_t>(head.size()));
  last_packed.append(head);
  AppendU32(last_packed, 0);
  AppendU32(last_packed, 0);
  return Packed();
}

// An import's answer packed (ImportFile's layout); `request`: the hooks' next stage.
emscripten::val PackResult(const sluice::ImportResult& result, const std::string& request) {
  last_packed.clear();
  std::string head = "{\"outcome\":" + result.OutcomeJson() + ",\"metadata\":" + result.Metadata() +
                     ",\"hooks\":" + (request.empty() ? std::string("null") : request) + "}";
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
  return Packed();
}

// An import's schema and options from JavaScript's: `error` set (a head of
// {error}) when they do not hold together.
struct Prepared {
  std::optional<sluice::Schema> schema;
  sluice::ImportOptions options;
  sluice::RowFormat row_format = sluice::RowFormat::kNdjson;
  bool skip_hooks = false;
  std::string error;
};
Prepared Prepare(const std::string& schema_json, const std::string& options_json, const emscripten::val& on_progress,
                 bool streamed) {
  Prepared out;
  auto fail = [&out](std::string head) {
    out.error = std::move(head);
    return std::move(out);
  };
  sluice::SchemaLoad load = sluice::LoadSchema(schema_json);
  if (!load.schema) {
    return fail("{\"error\":{\"code\":\"schema_invalid\",\"message\":\"the schema does not hold together\","
                   "\"details\":" + sluice::SchemaProblemsToJson(load.problems) + "}}");
  }
  // Options: the read options, plus "mapping" {header: fieldKey}.
  sluice::ImportOptions& options = out.options;
  nlohmann::json parsed = nlohmann::json::parse(options_json.empty() ? "{}" : options_json, nullptr, false);
  if (parsed.is_object() && parsed.contains("mapping")) {
    const nlohmann::json& mapping = parsed["mapping"];
    if (!mapping.is_object()) {
      return fail(sluice::ErrorToJson({"invalid_option", "$.mapping: must be an object of header to field key", -1}));
    }
    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
      if (!it.value().is_string()) {
        return fail(sluice::ErrorToJson({"invalid_option", "$.mapping." + it.key() + ": must be a field key", -1}));
      }
      options.mapping[it.key()] = it.value().get<std::string>();
    }
    parsed.erase("mapping");
  }
  // "review": a person's review (ReviewChanges JSON), as the review endpoint takes it.
  if (parsed.is_object() && parsed.contains("review")) {
    sluice::Result<sluice::ReviewChanges> review = sluice::ReviewChangesFromJson(parsed["review"].dump(), *load.schema);
    if (!review.ok()) {
      return fail(sluice::ErrorToJson(review.error()));
    }
    options.review = std::move(review.value());
    parsed.erase("review");
  }
  bool& skip_hooks = out.skip_hooks;
  if (parsed.is_object() && parsed.contains("skipHooks")) {
    skip_hooks = parsed["skipHooks"].is_boolean() && parsed["skipHooks"].get<bool>();
    parsed.erase("skipHooks");
  }
  sluice::RowFormat& row_format = out.row_format;
  if (parsed.is_object() && parsed.contains("rowFormat")) {
    const nlohmann::json& format = parsed["rowFormat"];
    if (format == "json") {
      row_format = sluice::RowFormat::kJson;
    } else if (format == "csv") {
      row_format = sluice::RowFormat::kCsv;
    } else if (format != "ndjson") {
      return fail(sluice::ErrorToJson({"invalid_option", "$.rowFormat: must be json, ndjson or csv", -1}));
    }
    parsed.erase("rowFormat");
  }
  if (streamed && !skip_hooks && !load.schema->hooks.runs_nothing()) {
    return fail("{\"error\":{\"code\":\"hooks_need_runner\",\"message\":\"the schema has JavaScript hooks: rows "
                   "cannot be streamed while hooks may change them; use importWithHooks, or pass skipHooks: true\"}}");
  }
  sluice::Result<sluice::ReadOptions> read = sluice::ReadOptionsFromJson(parsed.is_object() ? parsed.dump() : options_json);
  if (!read.ok()) {
    return fail(sluice::ErrorToJson(read.error()));
  }
  options.read = read.value();
  if (on_progress.typeOf().as<std::string>() == "function") {
    options.progress = [on_progress](const sluice::ImportProgress& p) {
      on_progress(emscripten::val(std::string(p.stage)), static_cast<double>(p.bytes), static_cast<double>(p.rows),
                  static_cast<double>(p.done), static_cast<double>(p.total));
    };
  }
  out.schema = std::move(load.schema);
  return out;
}

emscripten::val ImportFile(emscripten::val input, std::string schema_json, std::string options_json,
                           emscripten::val on_progress, std::string hook_outputs, emscripten::val on_rows) {
  const bool streamed = on_rows.typeOf().as<std::string>() == "function";
  // The bytes: a streamed import reads them where they lie (a buffer not
  // zero-filled first); any other takes them as a string it keeps.
  size_t buffer_length = 0;
  Bytes buffer;
  std::string bytes;
  if (input.isNull()) {  // the staged file
    if (!staged) {
      return PackHeadOnly(sluice::ErrorToJson({"invalid_option", "no file was staged for this import", -1}));
    }
    buffer = std::move(staged);
    buffer_length = staged_length;
    staged_capacity = staged_length = 0;
    if (!streamed) {
      bytes.assign(buffer.get(), buffer_length);
      buffer.reset();
    }
  } else if (streamed) {
    buffer = BufferOf(input, &buffer_length);
    if (!buffer) {
      return PackHeadOnly(sluice::ErrorToJson({"input_too_large", "the file does not fit in the module's memory", -1}));
    }
  } else {
    bytes = BytesOf(input);
  }
  input = emscripten::val::undefined();
  Prepared prepared = Prepare(schema_json, options_json, on_progress, streamed);
  if (!prepared.error.empty()) return PackHeadOnly(prepared.error);
  const sluice::Schema& schema = *prepared.schema;
  const sluice::ImportOptions& options = prepared.options;
  const bool skip_hooks = prepared.skip_hooks;
  const sluice::RowFormat row_format = prepared.row_format;
  std::string request;
  sluice::ImportResult result = [&]() {
    if (streamed) {
      std::vector<sluice::RowStream> streams{{row_format, [&on_rows](std::string_view chunk) {
        on_rows(emscripten::val(emscripten::typed_memory_view(chunk.size(), reinterpret_cast<const uint8_t*>(chunk.data()))));
      }}};
      return sluice::RunImport(std::string_view(buffer.get(), buffer_length), schema, options, streams);
    }
    if (skip_hooks || schema.hooks.runs_nothing()) return sluice::RunImport(std::move(bytes), schema, options);
    sluice::HookRound round = sluice::RunImportRound(std::move(bytes), schema, options, hook_outputs);
    request = std::move(round.request);
    return std::move(round.result);
  }();

  return PackResult(result, request);
}

// An import read in passes (sluice::ImportPasses): JavaScript gives the
// source's pieces (PassesFeed), pass after pass, until PassesEnd answers.
// One at a time; rows stream to `on_rows` (required), as ImportFile's.
struct Passes {
  std::unique_ptr<sluice::ImportPasses> passes;
  std::optional<sluice::Schema> schema;
  emscripten::val on_rows = emscripten::val::undefined();
};
Passes running;

//! Begins an import read in passes: null, or the packed answer of an error.
emscripten::val PassesBegin(std::string schema_json, std::string options_json, emscripten::val on_progress,
                            emscripten::val on_rows, double size_hint) {
  running = Passes();
  if (on_rows.typeOf().as<std::string>() != "function") {
    return PackHeadOnly(sluice::ErrorToJson({"invalid_option", "an import read in passes streams its rows: give onRows", -1}));
  }
  Prepared prepared = Prepare(schema_json, options_json, on_progress, true);
  if (!prepared.error.empty()) return PackHeadOnly(prepared.error);
  running.schema = std::move(prepared.schema);
  running.on_rows = on_rows;
  std::vector<sluice::RowStream> streams{{prepared.row_format, [](std::string_view chunk) {
    running.on_rows(emscripten::val(emscripten::typed_memory_view(chunk.size(), reinterpret_cast<const uint8_t*>(chunk.data()))));
  }}};
  running.passes = std::make_unique<sluice::ImportPasses>(*running.schema, std::move(prepared.options), std::move(streams),
                                                          size_hint > 0 ? static_cast<uint64_t>(size_hint) : 0);
  return emscripten::val::null();
}

//! The source's next piece (a Uint8Array), copied once, straight into the
//! import's window; false when no import is running.
bool PassesFeed(emscripten::val piece) {
  if (!running.passes) return false;
  const size_t length = piece["length"].as<size_t>();
  CopyBytes(piece, running.passes->Room(length), length);
  running.passes->Fed(length);
  return true;
}

//! The source's end in this pass: null (give it again), or the packed answer.
emscripten::val PassesEnd() {
  if (!running.passes) return emscripten::val::null();
  if (running.passes->EndPass()) return emscripten::val::null();
  sluice::ImportResult result = running.passes->Take();
  running = Passes();
  return PackResult(result, "");
}

//! Drops an import read in passes (a source that failed to read).
void PassesDrop() { running = Passes(); }

std::string CheckSchema(std::string schema_json) {
  sluice::SchemaLoad load = sluice::LoadSchema(schema_json);
  return "{\"valid\":" + std::string(load.schema ? "true" : "false") +
         ",\"problems\":" + sluice::SchemaProblemsToJson(load.problems) + "}";
}

// A review session for JavaScript: every answer is one JSON string (a page of
// rows, the changed cells, a summary) or {"error": {code, message}}; inputs
// that are JSON are parsed without exceptions and checked before use.
class ReviewHandle {
 public:
  ReviewHandle(std::string bytes, std::string schema_json, std::string changes_json) {
    sluice::SchemaLoad load = sluice::LoadSchema(schema_json);
    if (!load.schema) {
      error_ = "{\"error\":{\"code\":\"schema_invalid\",\"message\":\"the schema does not hold together\","
               "\"details\":" + sluice::SchemaProblemsToJson(load.problems) + "}}";
      return;
    }
    sluice::ReviewChanges changes;
    if (!changes_json.empty()) {
      sluice::Result<sluice::ReviewChanges> parsed = sluice::ReviewChangesFromJson(changes_json, *load.schema);
      if (!parsed.ok()) {
        error_ = sluice::ErrorToJson(parsed.error());
        return;
      }
      changes = std::move(parsed.value());
    }
    session_ = sluice::ReviewSession::Open(std::move(bytes), *load.schema, std::move(changes));
  }

  std::string error() const { return error_; }
  uint32_t rowCount() const { return session_ ? static_cast<uint32_t>(session_->row_count()) : 0; }
  std::string rows(uint32_t offset, uint32_t limit) const { return session_->RowsJson(offset, limit); }
  std::string summary() const { return session_->SummaryJson(); }
  std::string changes() const { return session_->ChangesJson(); }
  bool undo() { return session_->Undo(); }
  bool redo() { return session_->Redo(); }
  std::string hookRequest() { return session_->HookRequest(); }
  std::string hookOutputs() const { return session_->hook_outputs(); }
  void setHookOutputs(std::string outputs_json) { session_->SetHookOutputs(std::move(outputs_json)); }

  std::string messages(std::string filter_json) const {
    nlohmann::json filter = nlohmann::json::parse(filter_json, nullptr, false);
    sluice::MessageFilter f;
    if (filter.is_object()) {
      auto level = filter.find("level");
      if (level != filter.end() && level->is_string()) {
        const std::string& name = level->get_ref<const std::string&>();
        if (name == "error") f.level = sluice::Level::kError;
        else if (name == "warning") f.level = sluice::Level::kWarning;
        else if (name == "info") f.level = sluice::Level::kInfo;
        else return Invalid("level must be error, warning or info");
      }
      auto field = filter.find("field");
      if (field != filter.end() && field->is_string()) f.field_key = field->get<std::string>();
      for (auto [name, out] : {std::pair{"offset", &f.offset}, std::pair{"limit", &f.limit}}) {
        auto value = filter.find(name);
        if (value == filter.end()) continue;
        if (!value->is_number_unsigned()) return Invalid(std::string(name) + " must be a count");
        *out = value->get<size_t>();
      }
    }
    return session_->MessagesJson(f);
  }

  std::string setCell(uint32_t row, std::string field_key, std::string text) {
    return Answer(session_->SetCell(row, field_key, text));
  }

  std::string findReplace(std::string spec_json) {
    nlohmann::json spec = nlohmann::json::parse(spec_json, nullptr, false);
    if (!spec.is_object() || !spec.contains("find") || !spec["find"].is_string()) return Invalid("find must be a string");
    sluice::FindReplaceSpec s;
    s.find = spec["find"].get<std::string>();
    if (spec.contains("replace") && spec["replace"].is_string()) s.replace = spec["replace"].get<std::string>();
    if (spec.contains("field") && spec["field"].is_string()) s.field_key = spec["field"].get<std::string>();
    if (spec.contains("matchCase") && spec["matchCase"].is_boolean()) s.match_case = spec["matchCase"].get<bool>();
    if (spec.contains("wholeCell") && spec["wholeCell"].is_boolean()) s.whole_cell = spec["wholeCell"].get<bool>();
    return Answer(session_->FindReplace(s));
  }

  std::string addRow(std::string values_json) {
    nlohmann::json values = nlohmann::json::parse(values_json, nullptr, false);
    if (!values.is_object()) return Invalid("a row is an object of field key -> text");
    std::map<std::string, std::string> row;
    for (auto it = values.begin(); it != values.end(); ++it) {
      if (it.value().is_string()) {
        row[it.key()] = it.value().get<std::string>();
      } else if (!it.value().is_null()) {
        return Invalid("the value of '" + it.key() + "' must be a string or null");
      }
    }
    return Answer(session_->AddRow(row));
  }

  std::string removeRows(std::string rows_json) {
    nlohmann::json rows = nlohmann::json::parse(rows_json, nullptr, false);
    if (!rows.is_array()) return Invalid("rows must be an array of row indices");
    std::vector<size_t> indices;
    for (const nlohmann::json& row : rows) {
      if (!row.is_number_unsigned()) return Invalid("rows must be an array of row indices");
      indices.push_back(row.get<size_t>());
    }
    return Answer(session_->RemoveRows(indices));
  }

  std::string setHeaderRow(uint32_t row) { return Answer(session_->SetHeaderRow(row)); }

  std::string setMapping(std::string mapping_json) {
    nlohmann::json mapping = nlohmann::json::parse(mapping_json, nullptr, false);
    if (!mapping.is_object()) return Invalid("the mapping is an object of column index -> field key or null");
    std::map<size_t, std::string> columns;
    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
      const std::string& name = it.key();
      if (name.empty() || name.size() > 9 || name.find_first_not_of("0123456789") != std::string::npos) {
        return Invalid("columns are named by their index: '" + name + "' is not one");
      }
      if (it.value().is_null()) continue;
      if (!it.value().is_string()) return Invalid("column " + name + " must map to a field key or null");
      columns[std::stoul(name)] = it.value().get<std::string>();
    }
    return Answer(session_->SetMapping(columns));
  }

  std::string setOptionMapping(std::string field_key, std::string file_value, std::string option_value) {
    return Answer(session_->SetOptionMapping(field_key, file_value, option_value));
  }

  std::string exportRows(std::string format) const {
    sluice::RowFormat f = format == "csv"      ? sluice::RowFormat::kCsv
                          : format == "ndjson" ? sluice::RowFormat::kNdjson
                                               : sluice::RowFormat::kJson;
    return session_->Export(f);
  }

 private:
  static std::string Invalid(const std::string& message) {
    return sluice::ErrorToJson({"invalid_review", message, -1});
  }
  static std::string Answer(const sluice::Result<std::string>& result) {
    return result.ok() ? result.value() : sluice::ErrorToJson(result.error());
  }

  std::unique_ptr<sluice::ReviewSession> session_;
  std::string error_;
};

// Bytes of the module's heap in use (malloc), to check sessions free what they took.
uint32_t HeapInUse() { return static_cast<uint32_t>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(sluice_core) {
  emscripten::function("parseRows", &ParseRows);
  emscripten::function("inspect", &InspectFile);
  emscripten::function("versions", &Versions);
  emscripten::function("importFile", &ImportFile);
  emscripten::function("stageInput", &StageInput);
  emscripten::function("stageGrow", &StageGrow);
  emscripten::function("stageBytes", &StageBytes);
  emscripten::function("stageEnd", &StageEnd);
  emscripten::function("passesBegin", &PassesBegin);
  emscripten::function("passesFeed", &PassesFeed);
  emscripten::function("passesEnd", &PassesEnd);
  emscripten::function("passesDrop", &PassesDrop);
  emscripten::function("checkSchema", &CheckSchema);
  emscripten::function("heapInUse", &HeapInUse);
  emscripten::class_<ReviewHandle>("ReviewSession")
      .constructor<std::string, std::string, std::string>()
      .function("error", &ReviewHandle::error)
      .function("rowCount", &ReviewHandle::rowCount)
      .function("rows", &ReviewHandle::rows)
      .function("messages", &ReviewHandle::messages)
      .function("summary", &ReviewHandle::summary)
      .function("setCell", &ReviewHandle::setCell)
      .function("findReplace", &ReviewHandle::findReplace)
      .function("addRow", &ReviewHandle::addRow)
      .function("removeRows", &ReviewHandle::removeRows)
      .function("setHeaderRow", &ReviewHandle::setHeaderRow)
      .function("setMapping", &ReviewHandle::setMapping)
      .function("setOptionMapping", &ReviewHandle::setOptionMapping)
      .function("undo", &ReviewHandle::undo)
      .function("redo", &ReviewHandle::redo)
      .function("hookRequest", &ReviewHandle::hookRequest)
      .function("hookOutputs", &ReviewHandle::hookOutputs)
      .function("setHookOutputs", &ReviewHandle::setHookOutputs)
      .function("changes", &ReviewHandle::changes)
      .function("exportRows", &ReviewHandle::exportRows);
}
