// Saved schemas (API.md): list, create, get, replace, delete, per organisation.
// A schema is checked by the core's LoadSchema; every problem is returned in a
// 422 with its JSON path. Names are unique per organisation.
#include <algorithm>

#include "id_index.h"
#include "responses.h"
#include "routes.h"
#include "sluice/schema.h"
#include "store_keys.h"

namespace sluice::edge {
namespace {

using nlohmann::ordered_json;

Response SchemaProblems(const std::vector<SchemaProblem>& problems) {
  return ErrorResponse(422, "schema_invalid", "the schema does not hold together: " + std::to_string(problems.size()) +
                                                  (problems.size() == 1 ? " problem" : " problems"),
                       SchemaProblemsToJson(problems));
}

// Checks a schema body; on success fills `record` with what is stored.
bool CheckBody(RouteContext& ctx, Response* error, ordered_json* record) {
  std::optional<ordered_json> body = ctx.JsonBody(error);
  if (!body) return false;
  std::vector<SchemaProblem> problems;
  auto name = body->find("name");
  if (name == body->end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    problems.push_back({"$.name", "schema.missing_name", "a saved schema needs a name"});
  }
  SchemaLoad load = LoadSchema(body->dump());
  problems.insert(problems.end(), load.problems.begin(), load.problems.end());
  if (!problems.empty()) {
    *error = SchemaProblems(problems);
    return false;
  }
  // Stored as sent (in the client's key order), without read-only attributes.
  *record = std::move(*body);
  for (const char* read_only : {"id", "created_date", "modified_date", "organization"}) record->erase(read_only);
  return true;
}

}  // namespace

HandlerOutput SchemasRoute(RouteContext& ctx) {
  const std::string& org = ctx.org();
  const StoredValue* index = ctx.Get(keys::SchemaIndex(org));
  if (ctx.missing()) return ctx.Finish({});
  std::vector<std::string> ids = ReadIdIndex(index);

  if (ctx.request().method == "GET") {
    std::string body = "[";
    for (size_t i = 0; i < ids.size(); ++i) {
      const StoredValue* schema = ctx.Get(keys::Schema(org, ids[i]));
      if (schema) body += (body.size() > 1 ? "," : "") + schema->value;
    }
    body += "]";
    return ctx.Finish(JsonResponse(200, body));
  }

  // POST: create.
  Response error;
  ordered_json record;
  if (!CheckBody(ctx, &error, &record)) return ctx.Finish(error);
  std::string name = record["name"].get<std::string>();
  const StoredValue* taken = ctx.Get(keys::SchemaName(org, name));
  if (ctx.missing()) return ctx.Finish({});
  if (taken) {
    return ctx.Finish(ErrorResponse(409, "schema_name_taken", "a schema named '" + name + "' already exists",
                                    "[{\"path\":\"$.name\",\"code\":\"schema.duplicate_name\"}]"));
  }
  std::string id = ctx.NewId();
  std::string now = ctx.NowIso();
  ordered_json stored = {{"id", id}};
  for (auto it = record.begin(); it != record.end(); ++it) stored[it.key()] = it.value();
  stored["created_date"] = now;
  stored["modified_date"] = now;
  std::string text = stored.dump();
  ids.push_back(id);
  ctx.Put(keys::Schema(org, id), text);
  ctx.Put(keys::SchemaName(org, name), id);
  ctx.Put(keys::SchemaIndex(org), WriteIdIndex(ids));
  Response response = JsonResponse(201, text);
  response.headers.emplace_back("location", "/api/v1/schemas/" + id + "/");
  return ctx.Finish(response);
}

HandlerOutput SchemaRoute(RouteContext& ctx) {
  const std::string& org = ctx.org();
  const std::string& id = ctx.params()[0];
  const StoredValue* current = ctx.Get(keys::Schema(org, id));
  if (ctx.missing()) return ctx.Finish({});
  if (!current) return ctx.Finish(ErrorResponse(404, "not_found", "no schema " + id));
  const std::string& method = ctx.request().method;
  if (method == "GET") return ctx.Finish(JsonResponse(200, current->value));

  ordered_json existing = ordered_json::parse(current->value, nullptr, false);
  std::string old_name = existing.is_object() && existing.contains("name") && existing["name"].is_string()
                             ? existing["name"].get<std::string>()
                             : "";
  if (method == "DELETE") {
    const StoredValue* index = ctx.Get(keys::SchemaIndex(org));
    if (!old_name.empty()) ctx.Get(keys::SchemaName(org, old_name));
    if (ctx.missing()) return ctx.Finish({});
    std::vector<std::string> ids = ReadIdIndex(index);
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    ctx.Delete(keys::Schema(org, id));
    if (!old_name.empty()) ctx.Delete(keys::SchemaName(org, old_name));
    ctx.Put(keys::SchemaIndex(org), WriteIdIndex(ids));
    Response response;
    response.status = 204;
    return ctx.Finish(response);
  }

  // PUT: replace.
  Response error;
  ordered_json record;
  if (!CheckBody(ctx, &error, &record)) return ctx.Finish(error);
  std::string name = record["name"].get<std::string>();
  if (name != old_name) {
    const StoredValue* taken = ctx.Get(keys::SchemaName(org, name));
    if (!old_name.empty()) ctx.Get(keys::SchemaName(org, old_name));
    if (ctx.missing()) return ctx.Finish({});
    if (taken) {
      return ctx.Finish(ErrorResponse(409, "schema_name_taken", "a schema named '" + name + "' already exists",
                                      "[{\"path\":\"$.name\",\"code\":\"schema.duplicate_name\"}]"));
    }
    if (!old_name.empty()) ctx.Delete(keys::SchemaName(org, old_name));
    ctx.Put(keys::SchemaName(org, name), id);
  }
  ordered_json stored = {{"id", id}};
  for (auto it = record.begin(); it != record.end(); ++it) stored[it.key()] = it.value();
  stored["created_date"] = existing.is_object() && existing.contains("created_date") ? existing["created_date"]
                                                                                      : ordered_json(ctx.NowIso());
  stored["modified_date"] = ctx.NowIso();
  std::string text = stored.dump();
  ctx.Put(keys::Schema(org, id), text);
  return ctx.Finish(JsonResponse(200, text));
}

}  // namespace sluice::edge
