// The handler's frame plumbing: request metadata from JSON (checked field by
// field: nlohmann/json without exceptions aborts on a wrong-typed read), the
// response to JSON, and HandleFrame tying them to the router.
#include "sluice_edge/handler.h"

#include <nlohmann/json.hpp>

#include "crypto/sha256.h"
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

Result<HandlerInput> DecodeInput(const FrameView& frame) {
  auto find = [&](std::string_view name) -> const std::string_view* {
    for (const auto& part : frame) {
      if (part.first == name) return &part.second;
    }
    return nullptr;
  };
  const std::string_view* request_part = find("request");
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
  auto config = meta.find("config");
  if (config != meta.end()) {
    if (!config->is_object()) return Malformed("request.config must be an object");
    if (config->contains("base_url") && !ReadString(*config, "base_url", &input.config.base_url)) {
      return Malformed("config.base_url must be a string");
    }
    if (config->contains("secret") && !ReadString(*config, "secret", &input.config.secret)) {
      return Malformed("config.secret must be a string");
    }
    auto allow_private = config->find("allow_private_webhooks");
    if (allow_private != config->end()) {
      if (!allow_private->is_boolean()) return Malformed("config.allow_private_webhooks must be a boolean");
      input.config.allow_private_webhooks = allow_private->get<bool>();
    }
    auto limits = config->find("rate_limits");
    if (limits != config->end()) {
      if (!limits->is_object()) return Malformed("config.rate_limits must be an object");
      for (auto [name, field] : {std::pair{"creates_per_minute", &input.config.creates_per_minute},
                                 std::pair{"polls_per_minute", &input.config.polls_per_minute}}) {
        auto value = limits->find(name);
        if (value == limits->end()) continue;
        if (!value->is_number_unsigned() || value->get<uint64_t>() > 1000000000) {
          return Malformed(std::string("config.rate_limits.") + name + " must be a count");
        }
        *field = static_cast<uint32_t>(value->get<uint64_t>());
      }
    }
  }
  // Stored values: "kv:<key>" parts with their versions, and keys known absent.
  auto versions = meta.find("kv_versions");
  if (versions != meta.end() && !versions->is_object()) return Malformed("request.kv_versions must be an object");
  for (const auto& [name, data] : frame) {
    if (name.compare(0, 3, "kv:") != 0) continue;
    std::string key(name.substr(3));
    StoredValue stored{std::string(data), 1};
    if (versions != meta.end()) {
      auto version = versions->find(key);
      if (version == versions->end() || !version->is_number_unsigned() || version->get<uint64_t>() == 0) {
        return Malformed("kv_versions." + key + " must be a positive integer");
      }
      stored.version = version->get<uint64_t>();
    }
    input.kv[key] = std::move(stored);
  }
  auto absent = meta.find("kv_absent");
  if (absent != meta.end()) {
    if (!absent->is_array()) return Malformed("request.kv_absent must be an array");
    for (const json& key : *absent) {
      if (!key.is_string()) return Malformed("request.kv_absent must hold strings");
      input.kv.emplace(key.get_ref<const std::string&>(), std::nullopt);
    }
  }

  auto body_blob = meta.find("body_blob");
  if (body_blob != meta.end()) {
    if (!body_blob->is_string()) return Malformed("request.body_blob must be a string");
    input.body_blob = body_blob->get<std::string>();
    auto body_size = meta.find("body_size");
    if (body_size == meta.end() || !body_size->is_number_unsigned()) return Malformed("request.body_size must be an integer");
    input.body_size = body_size->get<uint64_t>();
  }
  auto read_blobs = meta.find("read_blobs");
  if (read_blobs != meta.end()) {
    if (!read_blobs->is_boolean()) return Malformed("request.read_blobs must be a boolean");
    input.read_blobs = read_blobs->get<bool>();
  }
  auto stream_blobs = meta.find("stream_blobs");
  if (stream_blobs != meta.end()) {
    if (!stream_blobs->is_boolean()) return Malformed("request.stream_blobs must be a boolean");
    input.stream_blobs = stream_blobs->get<bool>();
  }
  auto internal = meta.find("internal");
  if (internal != meta.end()) {
    if (!internal->is_boolean()) return Malformed("request.internal must be a boolean");
    input.internal = internal->get<bool>();
  }

  if (const std::string_view* body = find("body")) request.body = *body;
  if (const std::string_view* random = find("random")) input.random = std::string(*random);
  return input;
}

Frame EncodeOutput(HandlerOutput output) {
  JsonWriter meta;
  meta.BeginObject();
  if (!output.need_kv.empty()) {
    meta.Key("need_kv");
    meta.BeginArray();
    for (const std::string& key : output.need_kv) meta.String(key);
    meta.EndArray();
    meta.EndObject();
    Frame frame;
    frame.Add("response", meta.Take());
    return frame;
  }
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
  meta.Key("kv_writes");
  meta.BeginArray();
  for (const KvWrite& write : output.kv_writes) {
    meta.BeginObject();
    meta.Key("key");
    meta.String(write.key);
    meta.Key("expect");
    meta.Int(static_cast<int64_t>(write.expect));
    if (!write.value) {
      meta.Key("delete");
      meta.Bool(true);
    }
    meta.EndObject();
  }
  meta.EndArray();
  meta.Key("blob_writes");
  meta.BeginArray();
  for (const auto& [name, bytes] : output.blob_writes) meta.String(name);
  meta.EndArray();
  meta.Key("blob_streams");
  meta.BeginArray();
  for (const std::string& name : output.blob_streams) meta.String(name);
  meta.EndArray();
  meta.Key("blob_moves");
  meta.BeginArray();
  for (const BlobMove& move : output.blob_moves) {
    meta.BeginObject();
    meta.Key("from");
    meta.String(move.from);
    meta.Key("to");
    meta.String(move.to);
    meta.EndObject();
  }
  meta.EndArray();
  meta.Key("blob_deletes");
  meta.BeginArray();
  for (const std::string& name : output.blob_deletes) meta.String(name);
  meta.EndArray();
  if (!output.response_blob.empty()) {
    meta.Key("response_blob");
    meta.String(output.response_blob);
  }
  meta.Key("effects");
  meta.BeginArray();
  for (const std::string& effect : output.effects) meta.Raw(effect);
  meta.EndArray();
  meta.EndObject();

  Frame frame;
  frame.Add("response", meta.Take());
  frame.Add("body", std::move(output.response.body));
  for (const KvWrite& write : output.kv_writes) {
    if (write.value) frame.Add("kv:" + write.key, *write.value);
  }
  for (auto& [name, bytes] : output.blob_writes) frame.Add("blob:" + name, std::move(bytes));
  return frame;
}

HandlerOutput Handle(const HandlerInput& input) { return Route(input); }

std::string ApiKeyRecordKey(std::string_view api_key) { return "apikey:" + ToHex(Sha256(api_key)); }

std::string HandleFrame(std::string_view input_frame, const std::function<void(std::string_view)>& progress,
                        size_t prefix, const std::function<void(std::string_view, std::string_view)>& blob_chunk,
                        const BlobReader& blob_reader) {
  auto fault = [prefix](const Error& error) {
    JsonWriter json;
    json.BeginObject();
    json.Key("code");
    json.String(error.code);
    json.Key("message");
    json.String(error.message);
    json.EndObject();
    Frame frame;
    frame.Add("fault", json.Take());
    return EncodeFrame(std::move(frame), prefix);
  };
  Result<FrameView> frame = DecodeFrameView(input_frame);
  if (!frame.ok()) return fault(frame.error());
  Result<HandlerInput> input = DecodeInput(frame.value());
  if (!input.ok()) return fault(input.error());
  input.value().progress = progress;
  if (input.value().stream_blobs) input.value().blob_chunk = blob_chunk;
  if (input.value().read_blobs) input.value().blob_reader = blob_reader;
  return EncodeFrame(EncodeOutput(Handle(input.value())), prefix);
}

}  // namespace sluice::edge
