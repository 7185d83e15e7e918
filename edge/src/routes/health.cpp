// GET /healthz: the module is loaded and answering; says which build it is.
#include "responses.h"
#include "routes.h"
#include "sluice/json_writer.h"
#include "sluice/version.h"

namespace sluice::edge {

HandlerOutput HealthRoute(RouteContext& ctx) {
  JsonWriter json;
  json.BeginObject();
  json.Key("status");
  json.String("ok");
  json.Key("versions");
  json.Raw(VersionsJson());
  json.EndObject();
  return ctx.Finish(JsonResponse(200, json.Take()));
}

}  // namespace sluice::edge
