// The route table, its matching ("*" matches one path segment), method checks
// and authentication by API key.
#include "router.h"

#include <nlohmann/json.hpp>
#include <string_view>

#include "crypto/sha256.h"
#include "responses.h"
#include "routes.h"

namespace sluice::edge {
namespace {

struct RouteEntry {
  const char* pattern;  // without a trailing slash; "*" is one segment
  const char* methods;  // the Allow header: "GET, HEAD"
  bool authenticated;
  HandlerOutput (*answer)(RouteContext&);
};

const RouteEntry kRoutes[] = {
    {"/healthz", "GET, HEAD", false, &HealthRoute},
    {"/openapi.json", "GET, HEAD", false, &OpenApiRoute},
    {"/api/v1/schemas", "GET, POST", true, &SchemasRoute},
    {"/api/v1/schemas/*", "GET, PUT, DELETE", true, &SchemaRoute},
    {"/api/v1/headless/imports", "GET, POST", true, &ImportsRoute},
    {"/api/v1/headless/imports/*", "GET, DELETE", true, &ImportRoute},
    {"/api/v1/headless/imports/*/url", "GET", true, &ImportUrlRoute},
    {"/api/v1/headless/imports/*/review", "GET, POST", false, &ReviewRoute},
    {"/api/v1/headless/imports/*/review/file", "GET, HEAD", false, &ReviewFileRoute},
    {"/api/v1/webhooks", "GET, POST", true, &WebhooksRoute},
    {"/api/v1/webhooks/*", "GET, DELETE", true, &WebhookRoute},
    {"/api/v1/webhooks/*/deliveries", "GET", true, &WebhookDeliveriesRoute},
    {"/uploads/*/*", "PUT", false, &UploadRoute},
    {"/results/*/*", "GET, HEAD", false, &ResultRoute},
    {"/internal/imports/*/*/*", "POST", false, &ProcessImportJob},
    {"/internal/deliveries/*/*/*", "POST", false, &DeliveryJob},
};

bool AllowsMethod(std::string_view allow, std::string_view method) {
  while (!allow.empty()) {
    size_t comma = allow.find(", ");
    if (allow.substr(0, comma) == method) return true;
    if (comma == std::string_view::npos) break;
    allow.remove_prefix(comma + 2);
  }
  return false;
}

// Matches `path` against `pattern`, collecting the "*" segments.
bool Matches(std::string_view pattern, std::string_view path, std::vector<std::string>* params) {
  params->clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    size_t p_end = pattern.find('/'), s_end = path.find('/');
    std::string_view p_segment = pattern.substr(0, p_end), s_segment = path.substr(0, s_end);
    if (p_segment == "*") {
      if (s_segment.empty()) return false;
      params->emplace_back(s_segment);
    } else if (p_segment != s_segment) {
      return false;
    }
    pattern = p_end == std::string_view::npos ? std::string_view() : pattern.substr(p_end);
    path = s_end == std::string_view::npos ? std::string_view() : path.substr(s_end);
  }
  return true;
}

// The API key of the request: X-Dromo-License-Key, or Authorization: Bearer.
std::string ApiKeyOf(const Request& request) {
  auto dromo = request.headers.find("x-dromo-license-key");
  if (dromo != request.headers.end() && !dromo->second.empty()) return dromo->second;
  auto authorization = request.headers.find("authorization");
  if (authorization != request.headers.end() && authorization->second.size() > 7 &&
      (authorization->second.compare(0, 7, "Bearer ") == 0 || authorization->second.compare(0, 7, "bearer ") == 0)) {
    return authorization->second.substr(7);
  }
  return "";
}

HandlerOutput Unauthorized(RouteContext& ctx) {
  HandlerOutput output = ctx.Finish(ErrorResponse(401, "unauthorized", "a valid API key is required "
                                                                       "(X-Dromo-License-Key or Authorization: Bearer)"));
  if (output.need_kv.empty()) output.response.headers.emplace_back("www-authenticate", "Bearer");
  return output;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> PublicRoutes() {
  std::vector<std::pair<std::string, std::string>> routes;
  for (const RouteEntry& route : kRoutes) {
    if (std::string_view(route.pattern).rfind("/internal/", 0) != 0) routes.emplace_back(route.pattern, route.methods);
  }
  return routes;
}

HandlerOutput Route(const HandlerInput& input) {
  RouteContext ctx(input);
  std::string_view path = input.request.path;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.rfind("/internal/", 0) == 0 && !input.internal) {
    return ctx.Finish(ErrorResponse(404, "not_found", "no route for " + input.request.path));
  }
  for (const RouteEntry& route : kRoutes) {
    if (!Matches(route.pattern, path, &ctx.params())) continue;
    if (!AllowsMethod(route.methods, input.request.method)) {
      HandlerOutput output = ctx.Finish(
          ErrorResponse(405, "method_not_allowed", input.request.method + " is not allowed on " + input.request.path));
      output.response.headers.emplace_back("allow", route.methods);
      return output;
    }
    if (route.authenticated) {
      std::string key = ApiKeyOf(input.request);
      if (key.empty()) return Unauthorized(ctx);
      std::string record_key = ApiKeyRecordKey(key);
      const StoredValue* record = ctx.Get(record_key);
      if (ctx.missing() || !record) return Unauthorized(ctx);  // asks for the record first, if needed
      nlohmann::json parsed = nlohmann::json::parse(record->value, nullptr, false);
      auto org = parsed.is_object() ? parsed.find("org") : parsed.end();
      // The record is found by the key's hash; the stored hash is compared in
      // constant time too, so no timing tells how much of a key was right.
      auto hash = parsed.is_object() ? parsed.find("hash") : parsed.end();
      if (org == parsed.end() || !org->is_string() || org->get_ref<const std::string&>().empty() ||
          (hash != parsed.end() && (!hash->is_string() ||
                                    !ConstantTimeEquals(hash->get_ref<const std::string&>(), record_key.substr(7))))) {
        return Unauthorized(ctx);
      }
      ctx.set_org(org->get<std::string>());
    }
    return route.answer(ctx);
  }
  return ctx.Finish(ErrorResponse(404, "not_found", "no route for " + input.request.path));
}

}  // namespace sluice::edge
