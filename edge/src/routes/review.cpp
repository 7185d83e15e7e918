// The review routes (API.md "Review"), for the page behind review_url. They
// take no API key: the review token is a capability for one import (signed
// with its organisation and id, expiring after 7 days). GET gives what the
// page starts from; the file's bytes are served separately; POST takes the
// person's header row, mapping and edits and runs the import again on them
// with the same schema, as a job (the browser's verdict is never trusted).
#include "import_record.h"
#include "responses.h"
#include "routes.h"
#include "signing.h"
#include "sluice/import.h"
#include "sluice/schema.h"
#include "store_keys.h"

namespace sluice::edge {
namespace {

using nlohmann::ordered_json;

// A review is one person's edits: bounded so it fits one stored value.
constexpr size_t kMaxSubmissionBytes = 16 * 1024 * 1024;

std::string TokenOf(const Request& request) {
  auto header = request.headers.find("x-sluice-review-token");
  if (header != request.headers.end() && !header->second.empty()) return header->second;
  std::map<std::string, std::string> query = ParseQuery(request.query);
  auto token = query.find("token");
  return token == query.end() ? "" : token->second;
}

// Checks the token and reads the record; on failure sets `error`.
std::optional<ordered_json> Authorize(RouteContext& ctx, const std::string& id, std::string* org, Response* error) {
  std::string token = TokenOf(ctx.request());
  if (token.empty()) {
    *error = ErrorResponse(401, "review_token_required", "this route takes the token of the import's review_url");
    return std::nullopt;
  }
  switch (CheckReviewToken(ctx.input().config, id, token, ctx.input().now_ms, org)) {
    case ReviewTokenCheck::kInvalid:
      *error = ErrorResponse(403, "review_token_invalid", "the review token is not valid for this import");
      return std::nullopt;
    case ReviewTokenCheck::kExpired:
      *error = ErrorResponse(410, "review_token_expired", "the review link has expired");
      return std::nullopt;
    case ReviewTokenCheck::kValid:
      break;
  }
  std::optional<ordered_json> record = ReadRecord(ctx.Get(keys::Import(*org, id)));
  if (!ctx.missing() && !record) *error = ErrorResponse(404, "not_found", "no import " + id);
  return record;
}

HandlerOutput Show(RouteContext& ctx, const std::string& id) {
  std::string org;
  Response error;
  std::optional<ordered_json> record = Authorize(ctx, id, &org, &error);
  if (ctx.missing()) return ctx.Finish({});
  if (!record) return ctx.Finish(error);
  const StoredValue* submission = ctx.Get(keys::Review(org, id));
  if (ctx.missing()) return ctx.Finish({});
  ordered_json view = {{"id", id}};
  for (const char* key : {"status", "original_filename", "created_date", "modified_date", "import_errors",
                          "result_metadata"}) {
    view[key] = record->contains(key) ? (*record)[key] : ordered_json(nullptr);
  }
  view["schema"] = (*record)["_schema"];
  view["review"] = record->contains("_review") ? (*record)["_review"] : ordered_json(nullptr);
  ordered_json submitted = submission ? ordered_json::parse(submission->value, nullptr, false) : ordered_json(nullptr);
  view["submission"] = submitted.is_discarded() ? ordered_json(nullptr) : submitted;
  bool has_file = record->contains("_has_upload") && (*record)["_has_upload"].is_boolean() &&
                  (*record)["_has_upload"].get<bool>();
  view["file_url"] = has_file ? ordered_json(ctx.input().config.base_url + "/api/v1/headless/imports/" + id +
                                             "/review/file/?token=" + TokenOf(ctx.request()))
                              : ordered_json(nullptr);
  Response response = JsonResponse(200, view.dump());
  response.headers.emplace_back("cache-control", "private, no-store");
  return ctx.Finish(response);
}

HandlerOutput Submit(RouteContext& ctx, const std::string& id) {
  std::string org;
  Response error;
  std::optional<ordered_json> record = Authorize(ctx, id, &org, &error);
  if (ctx.missing()) return ctx.Finish({});
  if (!record) return ctx.Finish(error);
  if (Status(*record) != "NEEDS_REVIEW") {
    return ctx.Finish(ErrorResponse(409, "not_in_review", "the import is " + Status(*record) + ", not NEEDS_REVIEW"));
  }
  if (ctx.request().body.size() > kMaxSubmissionBytes) {
    return ctx.Finish(ErrorResponse(413, "review_too_large", "a review submission is at most 16 MB"));
  }
  SchemaLoad load = LoadSchema((*record)["_schema"].dump());
  if (!load.schema) return ctx.Finish(ErrorResponse(409, "schema_invalid", "the import's schema no longer loads"));
  Result<ReviewChanges> changes = ReviewChangesFromJson(ctx.request().body, *load.schema);
  if (!changes.ok()) {
    const std::string& message = changes.error().message;
    std::string path = message.substr(0, message.find(": "));
    return ctx.Finish(ErrorResponse(422, "invalid_review", message, ordered_json::array({{{"path", path}}}).dump()));
  }
  const StoredValue* previous = ctx.Get(keys::Review(org, id));
  if (ctx.missing()) return ctx.Finish({});
  (void)previous;  // read for its version: the write replaces it
  ctx.Put(keys::Review(org, id), std::string(ctx.request().body));
  (*record)["status"] = "PENDING";
  record->erase("review_url");
  (*record)["import_errors"] = nullptr;
  (*record)["modified_date"] = ctx.NowIso();
  ctx.Put(keys::Import(org, id), record->dump());
  ctx.AddEffect(ProcessEffect(org, id));
  return ctx.Finish(JsonResponse(202, ordered_json{{"id", id}, {"status", "PENDING"}}.dump()));
}

}  // namespace

HandlerOutput ReviewRoute(RouteContext& ctx) {
  const std::string& id = ctx.params()[0];
  return ctx.request().method == "POST" ? Submit(ctx, id) : Show(ctx, id);
}

HandlerOutput ReviewFileRoute(RouteContext& ctx) {
  const std::string& id = ctx.params()[0];
  std::string org;
  Response error;
  std::optional<ordered_json> record = Authorize(ctx, id, &org, &error);
  if (ctx.missing()) return ctx.Finish({});
  if (!record) return ctx.Finish(error);
  if (!record->contains("_has_upload") || !(*record)["_has_upload"].is_boolean() || !(*record)["_has_upload"].get<bool>()) {
    return ctx.Finish(ErrorResponse(404, "no_file", "the import has no file yet"));
  }
  ctx.ServeBlob(blobs::Upload(org, id));
  Response response;
  response.headers.emplace_back("content-type", "application/octet-stream");
  response.headers.emplace_back("cache-control", "private, no-store");
  return ctx.Finish(response);
}

}  // namespace sluice::edge
