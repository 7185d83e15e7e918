// JSON and error responses.
#include "responses.h"

#include "sluice/json_writer.h"

namespace sluice::edge {

Response JsonResponse(int status, std::string json) {
  Response response;
  response.status = status;
  response.headers.emplace_back("content-type", "application/json; charset=utf-8");
  response.headers.emplace_back("cache-control", "no-store");
  response.body = std::move(json);
  return response;
}

Response ErrorResponse(int status, const std::string& code, const std::string& message,
                       const std::string& details_json) {
  JsonWriter json;
  json.BeginObject();
  json.Key("error");
  json.BeginObject();
  json.Key("code");
  json.String(code);
  json.Key("message");
  json.String(message);
  if (!details_json.empty()) {
    json.Key("details");
    json.Raw(details_json);
  }
  json.EndObject();
  json.EndObject();
  return JsonResponse(status, json.Take());
}

}  // namespace sluice::edge
