// The handler's frame plumbing: request metadata from JSON (checked field by
// field: nlohmann/json without exceptions aborts on a wrong-typed read), the
// response to JSON, and HandleFrame tying them to the router.
#include "sluice_edge/handler.h"

#include <nlohmann/json.hpp>

#include "router.h"
#include "sluice/json_writer.h"

namespace sluice::edge {
namespace {

using nlohmann::json;

Error Malformed(const std::string& why) { return Error{"envelope_malformed", why, -1}; }

bool ReadString(const json& object, const char* key, std::string* out) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return false;
  *out = it->get_ref<const std::string&>();
  return true;
}

}  // namespace

Result<HandlerInput> DecodeInput(const Frame& frame) {
  const std::string* request_part = frame.Find("request");
  if (!request_part) return Malformed("no request part");
  json meta = json::parse(*request_part, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object()) return Malformed("the request part is not a JSON object");

  HandlerInput input;
  Request& request = input.request;
  if (!ReadString(meta, "method", &request.method)) return Malformed("request.method must be a string");
  if (!ReadString(meta, "path", &request.path)) return Malformed("request.path must be a string");
  auto query = meta.find("query");
  if (query != meta.end()) {
    if (!query->is_string()) return Malformed("request.query must be a string");
    request.query = query->get_ref<const std::string&>();
  }
  auto headers = meta.find("headers");
  if (headers != meta.end()) {
    if (!headers->is_object()) return Malformed("request.headers must be an object");
    for (auto it = headers->begin(); it != headers->end(); ++it) {
      if (!it.value().is_string()) return Malformed("request.headers values must be strings");
      std::string name = it.key();
      for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      request.headers[name] = it.value().get_ref<const std::string&>();
    }
  }
  auto now = meta.find("now_ms");
  if (now == meta.end() || !now->is_number_integer()) return Malformed("request.now_ms must be an integer");
  input.now_ms = now->get<int64_t>();

  if (const std::string* body = frame.Find("body")) request.body = *body;
  if (const std::string* random = frame.Find("random")) input.random = *random;
  return input;
}

Frame EncodeOutput(const HandlerOutput& output) {
  JsonWriter meta;
  meta.BeginObject();
  meta.Key("status");
  meta.Int(output.response.status);
  meta.Key("headers");
  meta.BeginArray();
  for (const auto& [name, value] : output.response.headers) {
    meta.BeginArray();
    meta.String(name);
    meta.String(value);
    meta.EndArray();
  }
  meta.EndArray();
  meta.EndObject();

  Frame frame;
  frame.Add("response", meta.Take());
  frame.Add("body", output.response.body);
  return frame;
}

HandlerOutput Handle(const HandlerInput& input) { return Route(input); }

std::string HandleFrame(std::string_view input_frame) {
  auto fault = [](const Error& error) {
    JsonWriter json;
    json.BeginObject();
    json.Key("code");
    json.String(error.code);
    json.Key("message");
    json.String(error.message);
    json.EndObject();
    Frame frame;
    frame.Add("fault", json.Take());
    return EncodeFrame(frame);
  };
  Result<Frame> frame = DecodeFrame(input_frame);
  if (!frame.ok()) return fault(frame.error());
  Result<HandlerInput> input = DecodeInput(frame.value());
  if (!input.ok()) return fault(input.error());
  return EncodeFrame(EncodeOutput(Handle(input.value())));
}

}  // namespace sluice::edge
