// Headless imports (API.md): create (from a file through a signed upload URL,
// or from initial_data), the upload itself, processing as a job the host runs
// off the request path, retrieve, list, delete, and the signed result URL.
// Status moves AWAITING_UPLOAD -> PENDING -> RUNNING -> SUCCESSFUL |
// NEEDS_REVIEW | FAILED.
#include <algorithm>
#include <optional>
#include <vector>

#include "id_index.h"
#include "import_record.h"
#include "paging.h"
#include "rate_limit.h"
#include "responses.h"
#include "routes.h"
#include "signing.h"
#include "sluice/hooks.h"
#include "sluice/import.h"
#include "sluice/schema.h"
#include "store_keys.h"
#include "webhooks.h"

namespace sluice::edge {
namespace {

using nlohmann::ordered_json;

constexpr int64_t kUploadValidMs = 30 * 60 * 1000;       // upload and result URLs: 30 minutes
constexpr size_t kReviewMessages = 200;  // messages kept for the review page's first view
const char* const kResultFormats[] = {"json", "ndjson", "csv"};

std::string UploadPath(const std::string& org, const std::string& id) { return "/uploads/" + org + "/" + id; }
std::string ResultPath(const std::string& org, const std::string& id) { return "/results/" + org + "/" + id; }

// What a client sees: the record without its internal "_" keys, with the
// upload URL while one is awaited.
ordered_json PublicView(const ordered_json& record, const std::string& org, const HostConfig& config) {
  ordered_json view = ordered_json::object();
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (!it.key().empty() && it.key()[0] != '_') view[it.key()] = it.value();
  }
  if (Status(record) == "AWAITING_UPLOAD" && record.contains("_upload_expires")) {
    view["upload"] = config.base_url + SignPath(config, "PUT", UploadPath(org, record["id"].get<std::string>()),
                                                record["_upload_expires"].get<int64_t>());
  }
  return view;
}

// The schema of an import: a saved one (settings and hooks of the request over
// it), or inline fields.
bool EffectiveSchema(RouteContext& ctx, const ordered_json& body, ordered_json* schema, std::string* schema_id,
                     Response* error) {
  auto id = body.find("schema_id");
  auto fields = body.find("fields");
  bool has_id = id != body.end() && !id->is_null();
  if (has_id == (fields != body.end())) {
    *error = ErrorResponse(400, "invalid_body", "give exactly one of schema_id and fields",
                           "[{\"path\":\"$.schema_id\"},{\"path\":\"$.fields\"}]");
    return false;
  }
  if (has_id) {
    if (!id->is_string()) {
      *error = ErrorResponse(400, "invalid_body", "schema_id must be a string", "[{\"path\":\"$.schema_id\"}]");
      return false;
    }
    *schema_id = id->get<std::string>();
    const StoredValue* stored = ctx.Get(keys::Schema(ctx.org(), *schema_id));
    if (ctx.missing()) return false;
    std::optional<ordered_json> saved = ReadRecord(stored);
    if (!saved) {
      *error = ErrorResponse(404, "schema_not_found", "no schema " + *schema_id);
      return false;
    }
    *schema = ordered_json::object();
    for (const char* key : {"name", "fields", "settings", "hooks"}) {
      if (saved->contains(key)) (*schema)[key] = (*saved)[key];
    }
  } else {
    *schema = {{"fields", *fields}};
  }
  for (const char* key : {"settings", "hooks"}) {
    auto overlay = body.find(key);
    if (overlay == body.end() || overlay->is_null()) continue;
    if (!overlay->is_object()) {
      *error = ErrorResponse(400, "invalid_body", std::string(key) + " must be an object",
                             std::string("[{\"path\":\"$.") + key + "\"}]");
      return false;
    }
    if (!schema->contains(key) || !(*schema)[key].is_object()) (*schema)[key] = ordered_json::object();
    for (auto it = overlay->begin(); it != overlay->end(); ++it) (*schema)[key][it.key()] = it.value();
  }
  SchemaLoad load = LoadSchema(schema->dump());
  if (!load.schema) {
    *error = ErrorResponse(422, "schema_invalid", "the import's schema does not hold together",
                           SchemaProblemsToJson(load.problems));
    return false;
  }
  return true;
}

HandlerOutput CreateCounted(RouteContext& ctx);

HandlerOutput Create(RouteContext& ctx) {
  const std::string& org = ctx.org();
  RateDecision rate = CountRequest(ctx, keys::CreateRate(org), ctx.input().config.creates_per_minute);
  if (ctx.missing()) return ctx.Finish({});
  if (!rate.allowed) return ctx.Finish(TooManyRequests(rate));
  HandlerOutput output = CreateCounted(ctx);
  if (output.need_kv.empty()) {
    output.response.headers.insert(output.response.headers.end(), rate.headers.begin(), rate.headers.end());
  }
  return output;
}

HandlerOutput CreateCounted(RouteContext& ctx) {
  const std::string& org = ctx.org();
  // 1. Idempotency: the same key gives the same import.
  auto idempotency = ctx.request().headers.find("idempotency-key");
  std::string idempotency_key = idempotency == ctx.request().headers.end() ? "" : idempotency->second;
  if (!idempotency_key.empty()) {
    const StoredValue* seen = ctx.Get(keys::Idempotency(org, idempotency_key));
    if (ctx.missing()) return ctx.Finish({});
    if (seen) {
      std::optional<ordered_json> record = ReadRecord(ctx.Get(keys::Import(org, seen->value)));
      if (ctx.missing()) return ctx.Finish({});
      if (record) return ctx.Finish(JsonResponse(201, PublicView(*record, org, ctx.input().config).dump()));
    }
  }
  // 2. The body.
  Response error;
  std::optional<ordered_json> body = ctx.JsonBody(&error);
  if (!body) return ctx.Finish(error);
  for (auto it = body->begin(); it != body->end(); ++it) {
    static const char* const kKnown[] = {"schema_id", "fields", "settings", "hooks", "original_filename",
                                         "initial_data", "import_metadata"};
    if (std::find_if(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return it.key() == k; }) ==
        std::end(kKnown)) {
      return ctx.Finish(ErrorResponse(400, "invalid_body", "unknown key '" + it.key() + "'",
                                      "[{\"path\":\"$." + it.key() + "\"}]"));
    }
  }
  ordered_json schema;
  std::string schema_id;
  if (!EffectiveSchema(ctx, *body, &schema, &schema_id, &error)) {
    return ctx.missing() ? ctx.Finish({}) : ctx.Finish(error);
  }
  auto filename = body->find("original_filename");
  auto initial = body->find("initial_data");
  bool has_file = filename != body->end() && !filename->is_null();
  bool has_data = initial != body->end() && !initial->is_null();
  if (has_file == has_data) {
    return ctx.Finish(ErrorResponse(400, "invalid_body", "give exactly one of original_filename and initial_data",
                                    "[{\"path\":\"$.original_filename\"},{\"path\":\"$.initial_data\"}]"));
  }
  if (has_file && (!filename->is_string() || filename->get_ref<const std::string&>().empty())) {
    return ctx.Finish(ErrorResponse(400, "invalid_body", "original_filename must be a non-empty string",
                                    "[{\"path\":\"$.original_filename\"}]"));
  }
  if (has_data && (!initial->is_array() || std::any_of(initial->begin(), initial->end(), [](const ordered_json& row) {
                     return !row.is_object() && !row.is_array();
                   }))) {
    return ctx.Finish(ErrorResponse(400, "invalid_body", "initial_data must be an array of objects or of arrays",
                                    "[{\"path\":\"$.initial_data\"}]"));
  }
  auto metadata = body->find("import_metadata");
  if (metadata != body->end() && !metadata->is_null() && !metadata->is_object()) {
    return ctx.Finish(ErrorResponse(400, "invalid_body", "import_metadata must be an object",
                                    "[{\"path\":\"$.import_metadata\"}]"));
  }
  const StoredValue* index = ctx.Get(keys::ImportIndex(org));
  if (ctx.missing()) return ctx.Finish({});

  // 3. The record.
  std::string id = ctx.NewId();
  std::string now = ctx.NowIso();
  ordered_json record = {
      {"id", id},
      {"schema_id", schema_id.empty() ? ordered_json(nullptr) : ordered_json(schema_id)},
      {"status", has_file ? "AWAITING_UPLOAD" : "PENDING"},
      {"original_filename", has_file ? *filename : ordered_json(nullptr)},
      {"created_date", now},
      {"modified_date", now},
      {"import_metadata", metadata == body->end() ? ordered_json(nullptr) : *metadata},
      {"result_metadata", nullptr},
      {"import_errors", nullptr},
      {"_schema", schema},
      {"_upload_expires", ctx.input().now_ms + kUploadValidMs},
      {"_has_upload", has_data},
  };
  if (has_data) {
    ctx.WriteBlob(blobs::Upload(org, id), initial->dump());
    ctx.AddEffect(ProcessEffect(org, id));
  }
  std::vector<std::string> ids = ReadIdIndex(index);
  ids.push_back(id);
  ctx.Put(keys::Import(org, id), record.dump());
  ctx.Put(keys::ImportIndex(org), WriteIdIndex(ids));
  if (!idempotency_key.empty()) ctx.Put(keys::Idempotency(org, idempotency_key), id);
  Response response = JsonResponse(201, PublicView(record, org, ctx.input().config).dump());
  response.headers.emplace_back("location", "/api/v1/headless/imports/" + id + "/");
  return ctx.Finish(response);
}

HandlerOutput List(RouteContext& ctx) {
  const std::string& org = ctx.org();
  Page page;
  if (!ReadPage(ctx.request().query, &page)) {
    return ctx.Finish(ErrorResponse(400, "invalid_query", "offset must be >= 0 and limit between 1 and 1000"));
  }
  std::vector<std::string> ids = ReadIdIndex(ctx.Get(keys::ImportIndex(org)));
  if (ctx.missing()) return ctx.Finish({});
  std::reverse(ids.begin(), ids.end());  // newest first
  ordered_json results = ordered_json::array();
  for (size_t i = page.offset; i < ids.size() && i < page.offset + page.limit; ++i) {
    std::optional<ordered_json> record = ReadRecord(ctx.Get(keys::Import(org, ids[i])));
    if (record) results.push_back(PublicView(*record, org, ctx.input().config));
  }
  if (ctx.missing()) return ctx.Finish({});
  std::string url = ctx.input().config.base_url + "/api/v1/headless/imports/";
  return ctx.Finish(JsonResponse(200, PageBody(url, page, ids.size(), std::move(results)).dump()));
}

// The upload imported with `streams`: a large one that is delimited text is
// given to ImportPasses a megabyte at a time, pass after pass, so that the
// import holds a window of its rows (the module's memory: the upload and a
// few megabytes) instead of a table of every row; any other as RunImport.
constexpr size_t kUploadPiece = 1 << 20;  // bytes of an upload given to ImportPasses at a time

// `size` bytes given to ImportPasses a piece at a time, pass after pass:
// give(passes, at, n) gives bytes [at, at + n); false when it could not (it
// abandoned the import), which ends the pass.
template <typename Give>
ImportResult ImportInPasses(uint64_t size, const Schema& schema, const ImportOptions& options,
                            const std::vector<RowStream>& streams, Give give) {
  ImportPasses passes(schema, options, streams, size);
  do {
    for (uint64_t at = 0; at < size; at += kUploadPiece) {
      if (!give(passes, at, static_cast<size_t>(std::min<uint64_t>(kUploadPiece, size - at)))) break;
    }
  } while (passes.EndPass());
  return passes.Take();
}

ImportResult ImportUpload(std::string_view upload, const Schema& schema, const ImportOptions& options,
                          const std::vector<RowStream>& streams) {
  if (upload.size() < ImportPasses::kWholeBelow || !ImportPasses::ReadsInPasses(upload, options)) {
    return RunImport(upload, schema, options, streams);
  }
  return ImportInPasses(upload.size(), schema, options, streams, [&](ImportPasses& passes, uint64_t at, size_t n) {
    passes.Feed(upload.substr(static_cast<size_t>(at), n));
    return true;
  });
}

// The stored upload `name` (`size` bytes), read from the host a megabyte at a
// time into ImportPasses, pass after pass: the module never holds it (unless
// the import keeps it whole: XLSX, JSON, other encodings, a review). A read
// that comes short is `upload_unreadable`.
ImportResult ImportStoredUpload(RouteContext& ctx, const std::string& name, uint64_t size, const Schema& schema,
                                const ImportOptions& options, const std::vector<RowStream>& streams) {
  return ImportInPasses(size, schema, options, streams, [&](ImportPasses& passes, uint64_t at, size_t n) {
    const size_t read = ctx.ReadBlob(name, at, passes.Room(n), n);
    passes.Fed(std::min(read, n));
    if (read == n) return true;
    passes.Abandon("upload_unreadable", "the stored upload ended after " + std::to_string(at + read) + " of its " +
                                            std::to_string(size) + " bytes");
    return false;
  });
}

}  // namespace

HandlerOutput ImportsRoute(RouteContext& ctx) {
  return ctx.request().method == "POST" ? Create(ctx) : List(ctx);
}

HandlerOutput ImportRoute(RouteContext& ctx) {
  const std::string& org = ctx.org();
  const std::string& id = ctx.params()[0];
  std::optional<ordered_json> record = ReadRecord(ctx.Get(keys::Import(org, id)));
  if (ctx.missing()) return ctx.Finish({});
  if (!record) return ctx.Finish(ErrorResponse(404, "not_found", "no import " + id));
  if (ctx.request().method == "GET") {
    // Polling is limited per import.
    RateDecision rate = CountRequest(ctx, keys::PollRate(org, id), ctx.input().config.polls_per_minute);
    if (ctx.missing()) return ctx.Finish({});
    if (!rate.allowed) return ctx.Finish(TooManyRequests(rate));
    if (Status(*record) == "RUNNING") {
      // How far the job got, as the host last stored it.
      const StoredValue* progress = ctx.Get(keys::Progress(org, id));
      if (ctx.missing()) return ctx.Finish({});
      ordered_json value = progress ? ordered_json::parse(progress->value, nullptr, false) : ordered_json();
      if (value.is_object()) (*record)["result_metadata"] = {{"progress", value}};
    }
    Response response = JsonResponse(200, PublicView(*record, org, ctx.input().config).dump());
    response.headers.insert(response.headers.end(), rate.headers.begin(), rate.headers.end());
    return ctx.Finish(response);
  }
  // DELETE: the record, its place in the index, its upload and results.
  std::vector<std::string> ids = ReadIdIndex(ctx.Get(keys::ImportIndex(org)));
  if (ctx.missing()) return ctx.Finish({});
  const StoredValue* poll_rate = ctx.Get(keys::PollRate(org, id));
  const StoredValue* review = ctx.Get(keys::Review(org, id));
  const StoredValue* progress = ctx.Get(keys::Progress(org, id));
  if (ctx.missing()) return ctx.Finish({});
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  ctx.Delete(keys::Import(org, id));
  if (poll_rate) ctx.Delete(keys::PollRate(org, id));
  if (review) ctx.Delete(keys::Review(org, id));
  if (progress) ctx.Delete(keys::Progress(org, id));
  ctx.Put(keys::ImportIndex(org), WriteIdIndex(ids));
  ctx.DeleteBlob(blobs::Upload(org, id));
  for (const char* format : kResultFormats) ctx.DeleteBlob(blobs::Result(org, id, format));
  Response response;
  response.status = 204;
  return ctx.Finish(response);
}

HandlerOutput ImportUrlRoute(RouteContext& ctx) {
  const std::string& org = ctx.org();
  const std::string& id = ctx.params()[0];
  std::optional<ordered_json> record = ReadRecord(ctx.Get(keys::Import(org, id)));
  if (ctx.missing()) return ctx.Finish({});
  if (!record) return ctx.Finish(ErrorResponse(404, "not_found", "no import " + id));
  if (Status(*record) != "SUCCESSFUL") {
    return ctx.Finish(ErrorResponse(409, "not_ready", "the import is " + Status(*record) + ", not SUCCESSFUL"));
  }
  const HostConfig& config = ctx.input().config;
  std::string url = config.base_url + SignPath(config, "GET", ResultPath(org, id), ctx.input().now_ms + kUploadValidMs);
  return ctx.Finish(JsonResponse(200, ordered_json{{"presigned_url", url}}.dump()));
}

HandlerOutput UploadRoute(RouteContext& ctx) {
  const std::string& org = ctx.params()[0];
  const std::string& id = ctx.params()[1];
  std::string path = UploadPath(org, id);
  auto refuse = [&](Response response) {
    if (!ctx.input().body_blob.empty()) ctx.DeleteBlob(ctx.input().body_blob);
    return ctx.Finish(std::move(response));
  };
  switch (CheckSignature(ctx.input().config, "PUT", path, ctx.request().query, ctx.input().now_ms)) {
    case SignatureCheck::kAltered:
      return refuse(ErrorResponse(403, "signature_invalid", "the upload URL is not valid (altered or incomplete)"));
    case SignatureCheck::kExpired:
      return refuse(ErrorResponse(410, "url_expired", "the upload URL has expired; create a new import"));
    case SignatureCheck::kValid:
      break;
  }
  std::optional<ordered_json> record = ReadRecord(ctx.Get(keys::Import(org, id)));
  if (ctx.missing()) return ctx.Finish({});
  if (!record) return refuse(ErrorResponse(404, "not_found", "no import " + id));
  if (Status(*record) != "AWAITING_UPLOAD" || (*record)["_has_upload"].get<bool>()) {
    return refuse(ErrorResponse(409, "already_uploaded", "this import already has its file"));
  }
  uint64_t size = ctx.input().body_blob.empty() ? ctx.request().body.size() : ctx.input().body_size;
  SchemaLoad load = LoadSchema((*record)["_schema"].dump());
  if (load.schema && load.schema->settings.max_file_size && size > *load.schema->settings.max_file_size) {
    return refuse(ErrorResponse(413, "file_too_large", "the file is " + std::to_string(size) + " bytes; the schema "
                                                           "allows " + std::to_string(*load.schema->settings.max_file_size)));
  }
  if (ctx.input().body_blob.empty()) {
    ctx.WriteBlob(blobs::Upload(org, id), std::string(ctx.request().body));
  } else {
    ctx.MoveBlob(ctx.input().body_blob, blobs::Upload(org, id));
  }
  (*record)["status"] = "PENDING";
  (*record)["_has_upload"] = true;
  (*record)["modified_date"] = ctx.NowIso();
  ctx.Put(keys::Import(org, id), record->dump());
  ctx.AddEffect(ProcessEffect(org, id));
  Response response;
  response.status = 200;
  return ctx.Finish(response);
}

HandlerOutput ResultRoute(RouteContext& ctx) {
  const std::string& org = ctx.params()[0];
  const std::string& id = ctx.params()[1];
  switch (CheckSignature(ctx.input().config, "GET", ResultPath(org, id), ctx.request().query, ctx.input().now_ms)) {
    case SignatureCheck::kAltered:
      return ctx.Finish(ErrorResponse(403, "signature_invalid", "the result URL is not valid (altered or incomplete)"));
    case SignatureCheck::kExpired:
      return ctx.Finish(ErrorResponse(410, "url_expired", "the result URL has expired; ask for a new one"));
    case SignatureCheck::kValid:
      break;
  }
  std::string format = "json";
  auto requested = ParseQuery(ctx.request().query);
  if (requested.count("format")) format = requested["format"];
  const char* type = format == "json"     ? "application/json; charset=utf-8"
                     : format == "ndjson" ? "application/x-ndjson; charset=utf-8"
                     : format == "csv"    ? "text/csv; charset=utf-8"
                                          : nullptr;
  if (!type) return ctx.Finish(ErrorResponse(400, "invalid_query", "format must be json, ndjson or csv"));
  std::optional<ordered_json> record = ReadRecord(ctx.Get(keys::Import(org, id)));
  if (ctx.missing()) return ctx.Finish({});
  if (!record) return ctx.Finish(ErrorResponse(404, "not_found", "no import " + id));
  if (Status(*record) != "SUCCESSFUL") return ctx.Finish(ErrorResponse(409, "not_ready", "the import has no result"));
  ctx.ServeBlob(blobs::Result(org, id, format));
  Response response;
  response.headers.emplace_back("content-type", type);
  response.headers.emplace_back("cache-control", "private, no-store");
  if (format == "csv") response.headers.emplace_back("content-disposition", "attachment; filename=\"" + id + ".csv\"");
  return ctx.Finish(response);
}

HandlerOutput ProcessImportJob(RouteContext& ctx) {
  if (!ctx.input().internal) return ctx.Finish(ErrorResponse(404, "not_found", "no route for " + ctx.request().path));
  const std::string& org = ctx.params()[0];
  const std::string& id = ctx.params()[1];
  const std::string& step = ctx.params()[2];
  std::optional<ordered_json> record = ReadRecord(ctx.Get(keys::Import(org, id)));
  if (ctx.missing()) return ctx.Finish({});
  Response done = JsonResponse(200, "{\"done\":true}");
  std::string status = record ? Status(*record) : "";
  if (!record || (status != "PENDING" && status != "RUNNING")) return ctx.Finish(done);  // deleted or finished

  if (step == "start") {
    (*record)["status"] = "RUNNING";
    (*record)["modified_date"] = ctx.NowIso();
    // (The upload's size: the body, or the stored upload a host reading blobs leaves out.)
    uint64_t bytes = ctx.request().body.size();
    if (bytes == 0 && ctx.CanReadBlobs()) bytes = ctx.BlobSize(blobs::Upload(org, id)).value_or(0);
    (*record)["result_metadata"] = {{"progress", {{"bytes", bytes}, {"rows", 0}}}};
    ctx.Put(keys::Import(org, id), record->dump());
    return ctx.Finish(done);
  }
  // The organisation's webhooks, read before the outcome (so the import never
  // runs twice for a key it lacked); the outcome's deliveries commit with it.
  WebhookFanout fanout(ctx, org);
  if (ctx.missing()) return ctx.Finish({});
  auto settings = [&]() {
    const ordered_json& schema = (*record)["_schema"];
    return schema.is_object() && schema.contains("settings") && schema["settings"].is_object() ? schema["settings"]
                                                                                                : ordered_json::object();
  };
  if (step == "abort") {
    // The host gave up on the job (the module kept failing): FAILED, with why.
    (*record)["status"] = "FAILED";
    (*record)["result_metadata"] = nullptr;
    (*record)["import_errors"] = ordered_json::array(
        {{{"code", "processing_failed"},
          {"message", "the import could not be processed: " + std::string(ctx.request().body.substr(0, 200))}}});
    (*record)["modified_date"] = ctx.NowIso();
    ctx.Put(keys::Import(org, id), record->dump());
    fanout.Queue(*record, settings());
    return ctx.Finish(done);
  }

  // step "run": the whole import (with a person's review, when one was
  // submitted), then its outcome. A schema with hooks runs in rounds
  // (sluice/hooks.h): while a stage is left, the answer is {"hooks": its
  // request} and nothing is written; the host runs it in its sandbox and
  // calls again with `?hooks=<length>` and a body of the outputs so far
  // (JSON, that many bytes) followed by the upload. A host that reads its
  // stored blobs during the call (read_blobs) leaves the upload out of the
  // body: it is read from the store, in pieces.
  const StoredValue* review = ctx.Get(keys::Review(org, id));
  if (ctx.missing()) return ctx.Finish({});
  std::string_view upload = ctx.request().body;
  std::string_view hook_outputs;
  std::map<std::string, std::string> query = ParseQuery(ctx.request().query);
  auto hooks_length = query.find("hooks");
  if (hooks_length != query.end()) {
    const std::string& digits = hooks_length->second;
    if (digits.empty() || digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos ||
        std::stoull(digits) > upload.size()) {
      return ctx.Finish(ErrorResponse(400, "invalid_query", "hooks must be the byte length of the hook outputs"));
    }
    hook_outputs = upload.substr(0, std::stoull(digits));
    upload.remove_prefix(hook_outputs.size());
  }
  const std::string upload_name = blobs::Upload(org, id);
  const std::optional<uint64_t> stored_size =
      upload.empty() && ctx.CanReadBlobs() ? ctx.BlobSize(upload_name) : std::nullopt;
  SchemaLoad load = LoadSchema((*record)["_schema"].dump());
  // The hook rounds import a copy of the upload: a stored one is read whole.
  std::string stored_whole;
  bool unreadable = false;
  if (load.schema && stored_size && !load.schema->hooks.runs_nothing()) {
    unreadable = *stored_size > stored_whole.max_size() / 2;  // (more than a 32-bit module can hold)
    if (!unreadable) {
      stored_whole.resize(static_cast<size_t>(*stored_size));
      unreadable = ctx.ReadBlob(upload_name, 0, stored_whole.data(), stored_whole.size()) != stored_whole.size();
    }
  }
  if (!load.schema || unreadable) {
    (*record)["status"] = "FAILED";
    (*record)["import_errors"] = ordered_json::array(
        {!load.schema ? ordered_json{{"code", "schema_invalid"}, {"message", "the schema no longer loads"}}
                      : ordered_json{{"code", "upload_unreadable"}, {"message", "the stored upload could not be read whole"}}});
  } else {
    ImportOptions options;
    if (review) {
      Result<ReviewChanges> changes = ReviewChangesFromJson(review->value, *load.schema);
      if (changes.ok()) options.review = std::move(changes.value());  // checked when submitted
    }
    // Progress while it runs, for polls (the host stores each report).
    if (ctx.input().progress) {
      std::string key = keys::Progress(org, id);
      options.progress = [&ctx, key](const ImportProgress& p) {
        ordered_json report = {{"key", key},
                               {"value", {{"stage", p.stage}, {"bytes", p.bytes}, {"rows", p.rows}, {"done", p.done},
                                          {"total", p.total}}}};
        ctx.input().progress(report.dump());
      };
    }
    // Without hooks the rows are written as they are checked, in the three
    // formats at once, and neither the upload is copied nor values kept:
    // straight to the host when it takes blobs as they are made (committed
    // below only if SUCCESSFUL), else into the blobs written at the end. With
    // hooks each round imports a copy of the upload, and the last round's
    // result writes the rows.
    const RowFormat formats[3] = {RowFormat::kJson, RowFormat::kNdjson, RowFormat::kCsv};  // as kResultFormats
    std::string names[3];
    for (size_t k = 0; k < 3; ++k) names[k] = blobs::Result(org, id, kResultFormats[k]);
    std::string rows[3];
    const bool to_host = ctx.CanStreamBlobs();
    std::optional<HookRound> round;
    ImportResult result = [&]() {
      if (load.schema->hooks.runs_nothing()) {
        std::vector<RowStream> streams;
        for (size_t k = 0; k < 3; ++k) {
          streams.push_back({formats[k], [&, k](std::string_view chunk) {
                               if (to_host) {
                                 ctx.StreamBlobChunk(names[k], chunk);
                               } else {
                                 rows[k].append(chunk);
                               }
                             }});
        }
        if (stored_size) return ImportStoredUpload(ctx, upload_name, *stored_size, *load.schema, options, streams);
        return ImportUpload(upload, *load.schema, options, streams);
      }
      round = RunImportRound(stored_size ? std::move(stored_whole) : std::string(upload), *load.schema, options,
                             hook_outputs);
      return std::move(round->result);
    }();
    if (round && !round->request.empty()) {
      Response ask = JsonResponse(200, "{\"hooks\":" + round->request + "}");
      return ctx.Finish(ask);
    }

    std::string outcome = OutcomeName(result.outcome());
    (*record)["status"] = outcome;
    ordered_json errors = ordered_json::array();
    for (const OutcomeReason& reason : result.reasons()) {
      ordered_json entry = {{"code", reason.code}, {"message", reason.message}};
      if (!reason.field_key.empty()) entry["fieldKey"] = reason.field_key;
      if (!reason.hook.empty()) entry["hook"] = reason.hook;
      if (reason.row) entry["rowIndex"] = *reason.row;
      errors.push_back(entry);
    }
    (*record)["import_errors"] = outcome == "SUCCESSFUL" ? ordered_json(nullptr) : errors;
    (*record)["result_metadata"] = outcome == "SUCCESSFUL" ? ordered_json::parse(result.Metadata(), nullptr, false)
                                                           : ordered_json(nullptr);
    record->erase("review_url");
    record->erase("_review");
    if (outcome == "SUCCESSFUL") {
      for (size_t k = 0; k < 3; ++k) {
        if (to_host && !round) {
          ctx.CommitStreamedBlob(names[k]);
        } else {
          ctx.WriteBlob(names[k], round ? result.Rows(formats[k]) : std::move(rows[k]));
        }
      }
    }
    if (outcome == "NEEDS_REVIEW") {
      // A capability for this one import; the review routes check it. The
      // review page starts from what the import found (mapping, header,
      // the first messages).
      std::string token = ReviewToken(ctx.input().config, org, id, ctx.input().now_ms + kReviewValidMs);
      (*record)["review_url"] = ctx.input().config.base_url + "/review/" + id + "?token=" + token;
      (*record)["_review"] = ordered_json::parse(result.Metadata(kReviewMessages), nullptr, false);
    }
  }
  (*record)["modified_date"] = ctx.NowIso();
  ctx.Put(keys::Import(org, id), record->dump());
  fanout.Queue(*record, settings());
  return ctx.Finish(done);
}

}  // namespace sluice::edge
