// The route table and its matching.
#include "router.h"

#include <string_view>

#include "responses.h"
#include "routes.h"

namespace sluice::edge {
namespace {

struct RouteEntry {
  const char* path;     // exact path, without a trailing slash
  const char* methods;  // the Allow header: "GET, HEAD"
  HandlerOutput (*answer)(const HandlerInput&);
};

const RouteEntry kRoutes[] = {
    {"/healthz", "GET, HEAD", &HealthRoute},
};

bool AllowsMethod(std::string_view allow, std::string_view method) {
  while (!allow.empty()) {
    size_t comma = allow.find(", ");
    std::string_view one = allow.substr(0, comma);
    if (one == method) return true;
    if (comma == std::string_view::npos) break;
    allow.remove_prefix(comma + 2);
  }
  return false;
}

}  // namespace

HandlerOutput Route(const HandlerInput& input) {
  std::string_view path = input.request.path;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  for (const RouteEntry& route : kRoutes) {
    if (path != route.path) continue;
    if (!AllowsMethod(route.methods, input.request.method)) {
      HandlerOutput output{ErrorResponse(405, "method_not_allowed",
                                         input.request.method + " is not allowed on " + route.path)};
      output.response.headers.emplace_back("allow", route.methods);
      return output;
    }
    return route.answer(input);
  }
  return HandlerOutput{ErrorResponse(404, "not_found", "no route for " + input.request.path)};
}

}  // namespace sluice::edge
