// GET /openapi.json: the OpenAPI 3.1 description, embedded at build time.
#include "responses.h"
#include "routes.h"

namespace sluice::edge {
namespace {
#include "openapi.inc"
}  // namespace

HandlerOutput OpenApiRoute(RouteContext& ctx) {
  Response response = JsonResponse(200, kOpenApiJson);
  response.headers.emplace_back("access-control-allow-origin", "*");
  return ctx.Finish(response);
}

}  // namespace sluice::edge
