// MemoryHost: the host's side of the handler protocol over a std::map, for
// GoogleTest: it encodes requests as frames, answers need_kv rounds, applies
// compare-and-set writes atomically (retrying the call on a conflict), and
// records effects. The Node and Workers hosts do the same over SQLite and KV.
#ifndef SLUICE_TESTS_EDGE_MEMORY_HOST_H_
#define SLUICE_TESTS_EDGE_MEMORY_HOST_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice_edge/envelope.h"
#include "sluice_edge/handler.h"

namespace sluice::edge::testing {

struct HttpAnswer {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class MemoryHost {
 public:
  MemoryHost() { AddKey("acme", "acme-key"); AddKey("globex", "globex-key"); }

  void AddKey(const std::string& org, const std::string& key) {
    Store(ApiKeyRecordKey(key), nlohmann::json{{"org", org}}.dump());
  }
  void Store(const std::string& key, const std::string& value) { kv_[key] = {value, ++clock_}; }
  const std::map<std::string, StoredValue>& kv() const { return kv_; }
  const std::map<std::string, std::string>& blobs() const { return blobs_; }
  const std::vector<nlohmann::json>& effects() const { return effects_; }

  //! Runs the pending process_import jobs as the Node host does: "start"
  //! (RUNNING), then "run" with the uploaded bytes. Returns how many ran.
  int RunJobs() {
    int ran = 0;
    while (next_job_ < effects_.size()) {
      nlohmann::json effect = effects_[next_job_++];
      if (effect["type"] != "process_import") continue;
      std::string org = effect["org"], id = effect["id"];
      // (A host that reads stored blobs leaves the upload out: the handler reads it.)
      std::string upload =
          !read_blobs && blobs_.count("uploads/" + org + "/" + id) ? blobs_["uploads/" + org + "/" + id] : "";
      Call("POST", "/internal/imports/" + org + "/" + id + "/start", upload, "", {}, /*internal=*/true);
      // As the Node host does: each progress report stored as it comes, removed after the job.
      std::string progress_key;
      auto on_progress = [&](std::string_view report) {
        nlohmann::json parsed = nlohmann::json::parse(report);
        progress_reports.push_back(parsed);
        progress_key = parsed["key"].get<std::string>();
        Store(progress_key, parsed["value"].dump());
      };
      // Rounds while the handler asks for a hook stage: `hook_stage` plays
      // the host's sandbox; the outputs so far go before the upload.
      nlohmann::json outputs = nlohmann::json::object();
      std::string run = "/internal/imports/" + org + "/" + id + "/run";
      HttpAnswer answer = Call("POST", run, upload, "", {}, /*internal=*/true, on_progress);
      for (int round = 0; round < 6 && answer.status == 200 && answer.json().contains("hooks"); ++round) {
        nlohmann::json request = answer.json()["hooks"];
        hook_requests.push_back(request);
        nlohmann::json output = hook_stage ? hook_stage(request) : nlohmann::json{{"results", nlohmann::json::array()}};
        if (output.contains("error")) {
          outputs["error"] = output["error"];
        } else {
          outputs[request["stage"].get<std::string>()] = output;
        }
        std::string text = outputs.dump();
        answer = Call("POST", run + "?hooks=" + std::to_string(text.size()), text + upload, "", {}, true, on_progress);
      }
      if (!progress_key.empty()) kv_.erase(progress_key);
      ++ran;
    }
    return ran;
  }
  //! Runs the due webhook deliveries as the hosts do: "prepare", then `send`
  //! (given {url, method, headers, body, timeout_ms}; answers the attempt
  //! report {status_code} or {error}), then "attempt", which settles the
  //! delivery or says when to try again. Returns how many were sent.
  int RunDeliveries(const std::function<nlohmann::json(const nlohmann::json& send)>& send) {
    for (; next_delivery_ < effects_.size(); ++next_delivery_) {
      const nlohmann::json& effect = effects_[next_delivery_];
      if (effect["type"] == "deliver_webhook") deliveries_.push_back({effect["org"], effect["id"], 0});
    }
    int sent = 0;
    for (size_t i = 0; i < deliveries_.size();) {
      Pending& pending = deliveries_[i];
      if (pending.due_ms > now_ms) {
        ++i;
        continue;
      }
      std::string base = "/internal/deliveries/" + pending.org + "/" + pending.id + "/";
      nlohmann::json prepared = Call("POST", base + "prepare", "", "", {}, true).json();
      if (!prepared.contains("send")) {
        deliveries_.erase(deliveries_.begin() + static_cast<long>(i));
        continue;
      }
      nlohmann::json report = send(prepared["send"]);
      ++sent;
      nlohmann::json verdict = Call("POST", base + "attempt", report.dump(), "", {}, true).json();
      if (verdict.contains("retry_at_ms")) {
        pending.due_ms = verdict["retry_at_ms"].get<int64_t>();
        ++i;
      } else {
        deliveries_.erase(deliveries_.begin() + static_cast<long>(i));
      }
    }
    return sent;
  }
  //! When the next delivery is due (0: none pending).
  int64_t NextDeliveryDue() const {
    int64_t due = 0;
    for (const Pending& pending : deliveries_) due = due == 0 ? pending.due_ms : std::min(due, pending.due_ms);
    return due;
  }

  int64_t now_ms = 1764421800000;  // 2025-11-29T13:10:00Z
  bool allow_private_webhooks = false;
  int rounds_of_last_call = 0;

  //! Every progress report of the jobs RunJobs ran.
  std::vector<nlohmann::json> progress_reports;
  //! What RunJobs answers a hook stage with (the host's sandbox, played by a
  //! test): {results} or {error}; unset: no hook changes anything.
  std::function<nlohmann::json(const nlohmann::json& request)> hook_stage;
  //! Every hook stage the handler asked for.
  std::vector<nlohmann::json> hook_requests;
  //! Take blobs as the handler makes them (stream_blobs), as the Node host
  //! does; false: they come whole in the answer, as on Workers.
  bool stream_blobs = true;
  //! Chunks streamed per blob name, over every call (for tests to count).
  std::map<std::string, size_t> streamed_chunks;
  //! Read stored blobs during a call (read_blobs), as the Node host does:
  //! the jobs' run step leaves the upload out of its body and the handler
  //! reads it in pieces; false: the body carries it, as on Workers.
  bool read_blobs = true;
  //! Reads of stored blobs per name, over every call (for tests to count).
  std::map<std::string, size_t> blob_reads;
  //! Set: a read of a stored blob gives at most this many bytes (a store
  //! that fails part way).
  std::optional<size_t> blob_read_limit;

  HttpAnswer Call(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& api_key = "acme-key", std::map<std::string, std::string> headers = {},
                  bool internal = false, const std::function<void(std::string_view)>& progress = {}) {
    if (!api_key.empty()) headers["X-Dromo-License-Key"] = api_key;
    std::string query;
    std::string bare_path = path;
    if (path.find('?') != std::string::npos) {
      query = path.substr(path.find('?') + 1);
      bare_path = path.substr(0, path.find('?'));
    }
    for (int attempt = 0; attempt < 5; ++attempt) {
      std::map<std::string, std::optional<StoredValue>> known;
      for (rounds_of_last_call = 1; rounds_of_last_call <= 8; ++rounds_of_last_call) {
        Frame frame = Encode(method, bare_path, query, body, headers, known, internal);
        std::map<std::string, std::string> pending;  // streamed blobs: committed by the answer, else dropped
        auto blob_chunk = [&](std::string_view name, std::string_view bytes) {
          pending[std::string(name)].append(bytes);
          ++streamed_chunks[std::string(name)];
        };
        BlobReader reader{[this](std::string_view name) -> std::optional<uint64_t> {
                            auto it = blobs_.find(std::string(name));
                            if (it == blobs_.end()) return std::nullopt;
                            return it->second.size();
                          },
                          [this](std::string_view name, uint64_t offset, char* into, size_t n) -> size_t {
                            ++blob_reads[std::string(name)];
                            auto it = blobs_.find(std::string(name));
                            if (it == blobs_.end() || offset >= it->second.size()) return 0;
                            size_t give = std::min<size_t>(n, it->second.size() - offset);
                            if (blob_read_limit) give = std::min(give, *blob_read_limit);
                            std::memcpy(into, it->second.data() + offset, give);
                            return give;
                          }};
        Result<Frame> out = DecodeFrame(HandleFrame(EncodeFrame(frame), progress, 0, blob_chunk, reader));
        if (!out.ok() || out.value().Find("fault")) return {500, {}, out.ok() ? *out.value().Find("fault") : ""};
        nlohmann::json meta = nlohmann::json::parse(*out.value().Find("response"));
        if (meta.contains("need_kv")) {
          for (const auto& key : meta["need_kv"]) {
            auto it = kv_.find(key.get<std::string>());
            known[key.get<std::string>()] = it == kv_.end() ? std::nullopt : std::optional<StoredValue>(it->second);
          }
          continue;
        }
        for (const auto& name : meta["blob_writes"]) {
          blobs_[name.get<std::string>()] = *out.value().Find("blob:" + name.get<std::string>());
        }
        for (const auto& name : meta["blob_streams"]) {
          auto blob = pending.find(name.get<std::string>());
          if (blob == pending.end()) return {500, {}, "committed a blob never streamed: " + name.get<std::string>()};
          blobs_[blob->first] = std::move(blob->second);
        }
        if (!Apply(meta["kv_writes"], out.value())) {  // a conflict: undo the new blobs, run the call again
          for (const auto& name : meta["blob_writes"]) blobs_.erase(name.get<std::string>());
          for (const auto& name : meta["blob_streams"]) blobs_.erase(name.get<std::string>());
          break;
        }
        ApplyBlobs(meta, out.value());
        for (const auto& effect : meta["effects"]) effects_.push_back(effect);
        HttpAnswer answer;
        answer.status = meta["status"].get<int>();
        for (const auto& header : meta["headers"]) answer.headers[header[0].get<std::string>()] = header[1].get<std::string>();
        answer.body = *out.value().Find("body");
        if (meta.contains("response_blob")) {
          auto blob = blobs_.find(meta["response_blob"].get<std::string>());
          if (blob == blobs_.end()) return {500, {}, "missing blob " + meta["response_blob"].get<std::string>()};
          answer.body = blob->second;
        }
        return answer;
      }
    }
    return {599, {}, "no answer after retries"};
  }

 private:
  Frame Encode(const std::string& method, const std::string& path, const std::string& query, const std::string& body,
               const std::map<std::string, std::string>& headers,
               const std::map<std::string, std::optional<StoredValue>>& known, bool internal) {
    nlohmann::json meta = {{"method", method}, {"path", path}, {"query", query}, {"headers", headers},
                           {"now_ms", now_ms},
                           {"config", {{"base_url", "http://host"}, {"secret", "s3cret"},
                                       {"allow_private_webhooks", allow_private_webhooks}}}};
    if (internal) meta["internal"] = true;
    if (stream_blobs) meta["stream_blobs"] = true;
    if (read_blobs) meta["read_blobs"] = true;
    nlohmann::json versions = nlohmann::json::object(), absent = nlohmann::json::array();
    Frame frame;
    for (const auto& [key, value] : known) {
      if (value) {
        versions[key] = value->version;
      } else {
        absent.push_back(key);
      }
    }
    meta["kv_versions"] = versions;
    meta["kv_absent"] = absent;
    frame.Add("request", meta.dump());
    frame.Add("body", body);
    frame.Add("random", "random-" + std::to_string(++calls_));
    for (const auto& [key, value] : known) {
      if (value) frame.Add("kv:" + key, value->value);
    }
    return frame;
  }

  bool Apply(const nlohmann::json& writes, const Frame& frame) {
    for (const auto& write : writes) {
      auto it = kv_.find(write["key"].get<std::string>());
      uint64_t version = it == kv_.end() ? 0 : it->second.version;
      if (version != write["expect"].get<uint64_t>()) return false;
    }
    for (const auto& write : writes) {
      std::string key = write["key"].get<std::string>();
      if (write.contains("delete")) {
        kv_.erase(key);
      } else {
        Store(key, *frame.Find("kv:" + key));
      }
    }
    return true;
  }

 public:
  //! Blobs after a commit: moves and deletes (what the Node host does with files).
  void ApplyBlobs(const nlohmann::json& meta, const Frame&) {
    for (const auto& move : meta["blob_moves"]) {
      blobs_[move["to"].get<std::string>()] = blobs_[move["from"].get<std::string>()];
      blobs_.erase(move["from"].get<std::string>());
    }
    for (const auto& name : meta["blob_deletes"]) blobs_.erase(name.get<std::string>());
  }

 private:

  std::map<std::string, StoredValue> kv_;
  std::map<std::string, std::string> blobs_;
  std::vector<nlohmann::json> effects_;
  size_t next_job_ = 0;
  struct Pending {
    std::string org, id;
    int64_t due_ms = 0;
  };
  std::vector<Pending> deliveries_;
  size_t next_delivery_ = 0;
  uint64_t clock_ = 0;
  int calls_ = 0;
};

}  // namespace sluice::edge::testing

#endif  // SLUICE_TESTS_EDGE_MEMORY_HOST_H_
