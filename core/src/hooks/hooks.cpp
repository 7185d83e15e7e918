// Hook rounds (hooks.h): the outputs a sandbox gave back, checked and turned
// into HookEdits; the import run with them; the next stage's request written
// from the result. Outputs hold what user code returned, so every value's type
// is checked before it is read (nlohmann/json aborts where it would throw).
#include "sluice/hooks.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "emit/import_state.h"
#include "sluice/json_writer.h"

namespace sluice {
namespace {

using json = nlohmann::json;

constexpr const char* kStages[] = {"column", "row", "bulk", "beforeFinish"};

// What the outputs say: the edits, the stages done, a failure, a cancel.
struct Outputs {
  HookEdits edits;
  std::set<std::string> done;
  std::optional<OutcomeReason> failure;
  std::optional<std::string> cancel;  // beforeFinishCallback's message
};

OutcomeReason Malformed(const std::string& hook, const std::string& what, std::optional<size_t> row = {}) {
  OutcomeReason reason{"hook_invalid_result",
                       (hook.empty() ? std::string("a hook") : hook) + " returned " + what +
                           (row ? " (row " + std::to_string(*row) + ")" : ""),
                       ""};
  reason.hook = hook;
  reason.row = row;
  return reason;
}

std::string Kind(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

// One cell's changes ({value?, info?, selectOptions?}); other keys (a record
// handed back whole: resultValue, manyToOne) are ignored.
std::optional<OutcomeReason> ReadCell(const json& cell, const std::string& hook, size_t row,
                                      const std::string& field_key, bool options_allowed, HookEdits* edits) {
  if (cell.is_null()) return std::nullopt;
  if (!cell.is_object()) return Malformed(hook, Kind(cell) + " for the field '" + field_key + "' instead of an object", row);
  HookEdits::Cell out;
  out.row = row;
  out.field_key = field_key;
  out.hook = hook;
  auto value = cell.find("value");
  if (value != cell.end()) {
    if (value->is_string()) {
      out.value = value->get_ref<const std::string&>();
    } else if (value->is_boolean()) {
      out.value = value->get<bool>() ? "true" : "false";
    } else if (value->is_number()) {
      out.value = value->dump();
    } else if (value->is_null()) {
      out.value = "";
    } else {
      return Malformed(hook, Kind(*value) + " as the value of '" + field_key + "' (text, a number, a boolean or null)", row);
    }
  }
  auto info = cell.find("info");
  if (info != cell.end() && !info->is_null()) {
    if (!info->is_array()) return Malformed(hook, Kind(*info) + " as the info of '" + field_key + "' (an array)", row);
    out.info.emplace();
    for (const json& item : *info) {
      auto message = item.is_object() ? item.find("message") : item.end();
      if (!item.is_object() || message == item.end() || !message->is_string()) {
        return Malformed(hook, "info for '" + field_key + "' without a message text", row);
      }
      HookEdits::Info entry{message->get_ref<const std::string&>(), Level::kError};
      auto level = item.find("level");
      if (level != item.end()) {
        std::string name = level->is_string() ? level->get_ref<const std::string&>() : "";
        if (name == "info") {
          entry.level = Level::kInfo;
        } else if (name == "warning") {
          entry.level = Level::kWarning;
        } else if (name != "error") {
          return Malformed(hook, "the info level " + level->dump() + " for '" + field_key +
                                     "' (\"error\", \"warning\" or \"info\")", row);
        }
      }
      out.info->push_back(std::move(entry));
    }
  }
  auto options = cell.find("selectOptions");
  if (options != cell.end() && !options->is_null()) {
    if (!options_allowed) return Malformed(hook, "selectOptions for '" + field_key + "', which is not a select field", row);
    if (!options->is_array()) return Malformed(hook, Kind(*options) + " as the selectOptions of '" + field_key + "'", row);
    out.select_options.emplace();
    for (const json& item : *options) {
      auto label = item.is_object() ? item.find("label") : item.end();
      auto val = item.is_object() ? item.find("value") : item.end();
      if (!item.is_object() || label == item.end() || !label->is_string() || val == item.end() || !val->is_string()) {
        return Malformed(hook, "a select option for '" + field_key + "' without label and value texts", row);
      }
      SelectOption option;
      option.label = label->get_ref<const std::string&>();
      option.value = val->get_ref<const std::string&>();
      auto alternates = item.find("alternateMatches");
      if (alternates != item.end() && alternates->is_array()) {
        for (const json& a : *alternates) {
          if (a.is_string()) option.alternate_matches.push_back(a.get_ref<const std::string&>());
        }
      }
      out.select_options->push_back(std::move(option));
    }
  }
  if (out.value || out.info || out.select_options) edits->cells.push_back(std::move(out));
  return std::nullopt;
}

std::optional<size_t> Index(const json& record) {
  auto index = record.is_object() ? record.find("index") : record.end();
  if (index == record.end() || !index->is_number_unsigned()) return std::nullopt;
  return static_cast<size_t>(index->get<uint64_t>());
}

// A row hook's {row: {key: cell}} for row `row`.
std::optional<OutcomeReason> ReadRecord(const json& record, const std::string& hook, size_t row, const Schema& schema,
                                        HookEdits* edits) {
  if (record.is_null()) return std::nullopt;
  if (!record.is_object()) return Malformed(hook, Kind(record) + " instead of {row: {...}}", row);
  auto cells = record.find("row");
  if (cells == record.end() || cells->is_null()) return std::nullopt;
  if (!cells->is_object()) return Malformed(hook, Kind(*cells) + " as row instead of an object", row);
  for (auto it = cells->begin(); it != cells->end(); ++it) {
    const Field* field = schema.FindField(it.key());
    if (!field) return Malformed(hook, "the field '" + it.key() + "', which is not in the schema", row);
    if (auto problem = ReadCell(it.value(), hook, row, it.key(), field->type == FieldType::kSelect, edits)) return problem;
  }
  return std::nullopt;
}

std::string HookName(const json& result) {
  auto hook = result.is_object() ? result.find("hook") : result.end();
  return hook != result.end() && hook->is_string() ? hook->get<std::string>() : "";
}

std::optional<OutcomeReason> ReadStage(const std::string& stage, const json& output, const Schema& schema, Outputs* out) {
  auto results = output.is_object() ? output.find("results") : output.end();
  if (results == output.end() || !results->is_array()) return Malformed("", "a " + stage + " stage without results");
  for (const json& result : *results) {
    std::string hook = HookName(result);
    auto found = result.is_object() ? result.find("output") : result.end();
    if (found == result.end() || found->is_null()) continue;
    const json& value = *found;
    if (stage == "column") {
      auto key = result.find("fieldKey");
      const Field* field = key != result.end() && key->is_string() ? schema.FindField(key->get<std::string>()) : nullptr;
      if (!field) return Malformed(hook, "a result for no field of the schema");
      if (!value.is_array()) return Malformed(hook, Kind(value) + " instead of an array of {index, value?, info?}");
      for (const json& item : value) {
        std::optional<size_t> row = Index(item);
        if (!row) return Malformed(hook, "an item without a row index: " + item.dump().substr(0, 80));
        if (auto problem = ReadCell(item, hook, *row, field->key, false, &out->edits)) return problem;
      }
    } else if (stage == "row") {
      std::optional<size_t> row = Index(result);
      if (!row) return Malformed(hook, "a result without its row index");
      if (auto problem = ReadRecord(value, hook, *row, schema, &out->edits)) return problem;
    } else if (stage == "bulk") {
      if (!value.is_array()) return Malformed(hook, Kind(value) + " instead of an array of records");
      for (const json& record : value) {
        std::optional<size_t> row = Index(record);
        if (!row) return Malformed(hook, "a record without its index: " + record.dump().substr(0, 80));
        if (auto problem = ReadRecord(record, hook, *row, schema, &out->edits)) return problem;
      }
    } else if (value.is_object()) {  // beforeFinish
      auto cancel = value.find("cancel");
      if (cancel != value.end() && cancel->is_boolean() && cancel->get<bool>()) {
        auto message = value.find("message");
        out->cancel = message != value.end() && message->is_string() ? message->get<std::string>()
                                                                      : std::string("the import was cancelled");
      }
    }
  }
  return std::nullopt;
}

Outputs ReadOutputs(std::string_view text, const Schema& schema) {
  Outputs out;
  if (text.empty()) return out;
  if (JsonNestingDepth(text) > kMaxJsonNesting) {
    out.failure = Malformed("", "values nested deeper than " + std::to_string(kMaxJsonNesting) + " levels");
    return out;
  }
  json outputs = json::parse(text, nullptr, false);
  if (!outputs.is_object()) {
    out.failure = Malformed("", "something that is not JSON");
    return out;
  }
  auto error = outputs.find("error");
  if (error != outputs.end() && !error->is_null()) {
    OutcomeReason reason{"hook_failed", "", ""};
    reason.hook = HookName(*error);
    reason.row = Index(*error);
    auto message = error->is_object() ? error->find("message") : error->end();
    std::string what = message != error->end() && message->is_string() ? message->get<std::string>() : "failed";
    reason.message = (reason.hook.empty() ? std::string("a hook") : reason.hook) +
                     (reason.row ? " failed on row " + std::to_string(*reason.row) : " failed") + ": " + what;
    out.failure = std::move(reason);
    return out;
  }
  for (const char* stage : kStages) {
    auto found = outputs.find(stage);
    if (found == outputs.end()) continue;
    out.done.insert(stage);
    if (auto problem = ReadStage(stage, *found, schema, &out)) {
      out.failure = std::move(problem);
      return out;
    }
  }
  return out;
}

void WriteHook(const std::string& name, const std::string& source, JsonWriter* out) {
  out->BeginObject();
  out->Key("name");
  out->String(name);
  out->Key("source");
  out->String(source);
}

}  // namespace

// The friend of ImportResult that reads its table for hook inputs.
struct HookRounds {
  static ImportResult Failed(OutcomeReason reason) {
    ImportResult result;
    result.outcome_ = Outcome::kFailed;
    result.reasons_.push_back(std::move(reason));
    return result;
  }

  static size_t RowId(const ImportResult::Impl& state, size_t i) { return state.row_ids.empty() ? i : state.row_ids[i]; }

  // A hook cell naming no row of the import (values were checked as edits).
  static std::optional<OutcomeReason> StrayCell(const ImportResult& result, const HookEdits& edits) {
    const ImportResult::Impl& state = *result.impl_;
    std::set<size_t> ids;
    for (size_t i = 0; i < result.data_rows_; ++i) ids.insert(RowId(state, i));
    for (const HookEdits::Cell& cell : edits.cells) {
      if (!ids.count(cell.row)) return Malformed(cell.hook, "a change for row " + std::to_string(cell.row) + ", which is not a row of the import");
    }
    return std::nullopt;
  }

  static std::string ColumnRequest(const ImportResult& result, const Schema& schema) {
    const ImportResult::Impl& state = *result.impl_;
    JsonWriter out;
    out.BeginObject();
    out.Key("stage");
    out.String("column");
    out.Key("hooks");
    out.BeginArray();
    for (size_t h = 0; h < schema.hooks.column_hooks.size(); ++h) {
      const SchemaHooks::ColumnHook& hook = schema.hooks.column_hooks[h];
      WriteHook("columnHooks[" + std::to_string(h) + "]", hook.source, &out);
      out.Key("fieldKey");
      out.String(hook.field_key);
      out.Key("input");
      out.BeginArray();
      size_t f = 0;
      while (f < schema.fields.size() && schema.fields[f].key != hook.field_key) ++f;
      for (size_t i = 0; i < result.data_rows_; ++i) {
        out.BeginObject();
        out.Key("index");
        out.Int(static_cast<int64_t>(RowId(state, i)));
        out.Key("value");
        out.String(f < state.fields.size() ? state.fields[f].column.raw[i] : std::string_view());
        out.EndObject();
      }
      out.EndArray();
      out.EndObject();
    }
    out.EndArray();
    out.EndObject();
    return out.Take();
  }

  static std::string RecordsRequest(const char* stage, const std::vector<std::string>& sources, const char* list,
                                    const ImportResult& result, const Schema& schema, const std::set<size_t>& updated) {
    const ImportResult::Impl& state = *result.impl_;
    JsonWriter out;
    out.BeginObject();
    out.Key("stage");
    out.String(stage);
    out.Key("hooks");
    out.BeginArray();
    for (size_t h = 0; h < sources.size(); ++h) {
      WriteHook(std::string(list) + "[" + std::to_string(h) + "]", sources[h], &out);
      out.EndObject();
    }
    out.EndArray();
    out.Key("records");
    out.BeginArray();
    const std::vector<CellMessage>& messages = result.messages_;  // by row, then field order
    size_t next = 0;
    for (size_t i = 0; i < result.data_rows_; ++i) {
      size_t id = RowId(state, i);
      out.BeginObject();
      out.Key("index");
      out.Int(static_cast<int64_t>(id));
      out.Key("mode");
      out.String(updated.count(id) ? "update" : "init");
      out.Key("row");
      out.BeginObject();
      size_t end = next;
      while (end < messages.size() && messages[end].row == i) ++end;
      for (size_t f = 0; f < schema.fields.size(); ++f) {
        const FieldData& data = state.fields[f];
        out.Key(schema.fields[f].key);
        out.BeginObject();
        out.Key("value");
        out.String(data.column.raw[i]);
        out.Key("resultValue");
        if (data.column.mapped && data.column.valid[i]) {
          data.column.values.Write(i, &out);
        } else {
          out.Null();
        }
        out.Key("info");
        out.BeginArray();
        for (size_t m = next; m < end; ++m) {
          if (messages[m].field_key != schema.fields[f].key) continue;
          out.BeginObject();
          out.Key("message");
          out.String(messages[m].message);
          out.Key("level");
          out.String(LevelName(messages[m].level));
          out.EndObject();
        }
        out.EndArray();
        out.EndObject();
      }
      next = end;
      out.EndObject();
      out.EndObject();
    }
    out.EndArray();
    out.EndObject();
    return out.Take();
  }

  static std::string BeforeFinishRequest(const ImportResult& result, const Schema& schema) {
    JsonWriter out;
    out.BeginObject();
    out.Key("stage");
    out.String("beforeFinish");
    out.Key("hooks");
    out.BeginArray();
    WriteHook("beforeFinishCallback", schema.hooks.before_finish, &out);
    out.EndObject();
    out.EndArray();
    out.Key("data");
    out.Raw(result.Rows(RowFormat::kJson));
    out.Key("metadata");
    out.Raw(result.Metadata());
    out.EndObject();
    return out.Take();
  }

  static void NeedsReview(ImportResult* result, OutcomeReason reason) {
    result->outcome_ = Outcome::kNeedsReview;
    result->reasons_.push_back(std::move(reason));
  }

  static HookRound Run(std::string bytes, const Schema& schema, ImportOptions options, std::string_view outputs_json) {
    Outputs outputs = ReadOutputs(outputs_json, schema);
    if (outputs.failure) return {Failed(std::move(*outputs.failure)), ""};
    // Rows a person edited or added are in "update" mode.
    std::set<size_t> updated;
    if (options.review) {
      for (const ReviewChanges::CellEdit& edit : options.review->edits) updated.insert(edit.row);
    }
    options.hooks = std::move(outputs.edits);
    ImportResult result = RunImport(std::move(bytes), schema, options);
    for (const OutcomeReason& reason : result.reasons()) {
      if (reason.code == "hook_invalid_result") return {Failed(reason), ""};
    }
    if (result.outcome() == Outcome::kFailed) return {std::move(result), ""};
    if (auto stray = StrayCell(result, options.hooks)) return {Failed(std::move(*stray)), ""};
    if (options.review) {
      const ImportResult::Impl& state = *result.impl_;
      for (size_t i = 0; i < result.data_rows_; ++i) {
        size_t id = RowId(state, i);
        if (id >= state.file_data_rows) updated.insert(id);
      }
    }

    const SchemaHooks& hooks = schema.hooks;
    const auto& done = outputs.done;
    std::string request;
    if (!hooks.column_hooks.empty() && !done.count("column")) {
      request = ColumnRequest(result, schema);
    } else if (!hooks.row_hooks.empty() && !done.count("row")) {
      request = RecordsRequest("row", hooks.row_hooks, "rowHooks", result, schema, updated);
    } else if (!hooks.bulk_row_hooks.empty() && !done.count("bulk")) {
      request = RecordsRequest("bulk", hooks.bulk_row_hooks, "bulkRowHooks", result, schema, updated);
    } else if (!hooks.before_finish.empty() && !done.count("beforeFinish") && result.outcome() == Outcome::kSuccessful) {
      request = BeforeFinishRequest(result, schema);
    } else if (outputs.cancel && result.outcome() == Outcome::kSuccessful) {
      OutcomeReason reason{"before_finish_cancelled", *outputs.cancel, ""};
      reason.hook = "beforeFinishCallback";
      NeedsReview(&result, std::move(reason));
    }
    return {std::move(result), std::move(request)};
  }
};

HookRound RunImportRound(std::string bytes, const Schema& schema, ImportOptions options, std::string_view outputs_json) {
  return HookRounds::Run(std::move(bytes), schema, std::move(options), outputs_json);
}

Result<HookEdits> HookEditsFromOutputs(std::string_view outputs_json, const Schema& schema) {
  Outputs outputs = ReadOutputs(outputs_json, schema);
  if (outputs.failure) return Error{outputs.failure->code, outputs.failure->message, -1};
  return std::move(outputs.edits);
}

}  // namespace sluice
