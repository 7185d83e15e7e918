// The routes' answers, one function each; the router decides which runs.
#ifndef SLUICE_EDGE_ROUTES_H_
#define SLUICE_EDGE_ROUTES_H_

#include "sluice_edge/handler.h"

namespace sluice::edge {

//! GET /healthz: 200 {"status": "ok", "versions": {...}}.
HandlerOutput HealthRoute(const HandlerInput& input);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_ROUTES_H_
