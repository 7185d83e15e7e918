// The shapes every route answers with: JSON bodies and API.md's error body
// {"error": {"code", "message"}}. One place, so every error looks the same.
#ifndef SLUICE_EDGE_RESPONSES_H_
#define SLUICE_EDGE_RESPONSES_H_

#include <string>

#include "sluice_edge/handler.h"

namespace sluice::edge {

//! `status` with `json` as an application/json body.
Response JsonResponse(int status, std::string json);
//! `status` with {"error": {"code": code, "message": message, "details"?}};
//! `details_json`, when given, is written as it is.
Response ErrorResponse(int status, const std::string& code, const std::string& message,
                       const std::string& details_json = "");

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_RESPONSES_H_
