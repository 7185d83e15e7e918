// Route: maps a request to the route that answers it. Owns method and path
// matching (a trailing slash is optional), 404 and 405; never the routes' work.
#ifndef SLUICE_EDGE_ROUTER_H_
#define SLUICE_EDGE_ROUTER_H_

#include <string>
#include <utility>
#include <vector>

#include "sluice_edge/handler.h"

namespace sluice::edge {

HandlerOutput Route(const HandlerInput& input);

//! The routes clients may call: (pattern with "*" segments, "GET, HEAD").
std::vector<std::pair<std::string, std::string>> PublicRoutes();

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_ROUTER_H_
