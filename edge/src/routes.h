// The routes' answers, one function per resource; the router decides which
// runs and has already checked the method and, for API routes, the key.
#ifndef SLUICE_EDGE_ROUTES_H_
#define SLUICE_EDGE_ROUTES_H_

#include "context.h"
#include "sluice_edge/handler.h"

namespace sluice::edge {

//! GET /healthz: 200 {"status": "ok", "versions": {...}}.
HandlerOutput HealthRoute(RouteContext& ctx);
//! GET /openapi.json: the API's OpenAPI 3.1 description (edge/openapi.json).
HandlerOutput OpenApiRoute(RouteContext& ctx);
//! GET (list) and POST (create) /api/v1/schemas/.
HandlerOutput SchemasRoute(RouteContext& ctx);
//! GET, PUT, DELETE /api/v1/schemas/{id}/.
HandlerOutput SchemaRoute(RouteContext& ctx);
//! GET (list) and POST (create) /api/v1/headless/imports/.
HandlerOutput ImportsRoute(RouteContext& ctx);
//! GET, DELETE /api/v1/headless/imports/{id}/.
HandlerOutput ImportRoute(RouteContext& ctx);
//! GET /api/v1/headless/imports/{id}/url/: the signed result URL.
HandlerOutput ImportUrlRoute(RouteContext& ctx);
//! GET (what the review page starts from) and POST (a person's review, run
//! again as a job) /api/v1/headless/imports/{id}/review/?token=…
HandlerOutput ReviewRoute(RouteContext& ctx);
//! GET /api/v1/headless/imports/{id}/review/file/?token=…: the file's bytes.
HandlerOutput ReviewFileRoute(RouteContext& ctx);
//! PUT /uploads/{org}/{id}?expires&signature: the file of an import.
HandlerOutput UploadRoute(RouteContext& ctx);
//! GET /results/{org}/{id}?expires&signature[&format]: the cleaned rows.
HandlerOutput ResultRoute(RouteContext& ctx);
//! GET (list, without secrets) and POST (create; the secret shown once) /api/v1/webhooks/.
HandlerOutput WebhooksRoute(RouteContext& ctx);
//! GET, DELETE /api/v1/webhooks/{id}/.
HandlerOutput WebhookRoute(RouteContext& ctx);
//! GET /api/v1/webhooks/{id}/deliveries/: newest first, with every attempt.
HandlerOutput WebhookDeliveriesRoute(RouteContext& ctx);
//! POST /internal/deliveries/{org}/{id}/{prepare|attempt}: the outbox job (host
//! only): what to send, signed; then the outcome of one attempt.
HandlerOutput DeliveryJob(RouteContext& ctx);
//! POST /internal/imports/{org}/{id}/{start|run|abort}: the processing job (host
//! only): RUNNING, then the import and its outcome; abort marks it FAILED.
HandlerOutput ProcessImportJob(RouteContext& ctx);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_ROUTES_H_
