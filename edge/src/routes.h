// The routes' answers, one function per resource; the router decides which
// runs and has already checked the method and, for API routes, the key.
#ifndef SLUICE_EDGE_ROUTES_H_
#define SLUICE_EDGE_ROUTES_H_

#include "context.h"
#include "sluice_edge/handler.h"

namespace sluice::edge {

//! GET /healthz: 200 {"status": "ok", "versions": {...}}.
HandlerOutput HealthRoute(RouteContext& ctx);
//! GET (list) and POST (create) /api/v1/schemas/.
HandlerOutput SchemasRoute(RouteContext& ctx);
//! GET, PUT, DELETE /api/v1/schemas/{id}/.
HandlerOutput SchemaRoute(RouteContext& ctx);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_ROUTES_H_
