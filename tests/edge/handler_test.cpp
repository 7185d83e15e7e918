// The handler, fed envelopes as a host would: routes, errors, and frames a
// host built wrongly.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "sluice_edge/envelope.h"
#include "sluice_edge/handler.h"

namespace sluice::edge {
namespace {

using nlohmann::json;

struct Answer {
  int status = 0;
  json headers;
  std::string body;
  std::string fault;
};

std::string RequestFrame(const json& request, const std::string& body = "") {
  Frame frame;
  frame.Add("request", request.dump());
  frame.Add("body", body);
  frame.Add("random", std::string(32, '\x5A'));
  return EncodeFrame(frame);
}

Answer Call(const std::string& frame_bytes) {
  Result<Frame> frame = DecodeFrame(HandleFrame(frame_bytes));
  EXPECT_TRUE(frame.ok());
  Answer answer;
  if (!frame.ok()) return answer;
  if (const std::string* fault = frame.value().Find("fault")) {
    answer.fault = *fault;
    return answer;
  }
  json meta = json::parse(*frame.value().Find("response"), nullptr, false);
  answer.status = meta["status"].get<int>();
  answer.headers = meta["headers"];
  answer.body = *frame.value().Find("body");
  return answer;
}

Answer Get(const std::string& method, const std::string& path) {
  return Call(RequestFrame({{"method", method}, {"path", path}, {"query", ""},
                            {"headers", json::object()}, {"now_ms", 1764400000000}}));
}

std::string Header(const Answer& answer, const std::string& name) {
  for (const auto& pair : answer.headers) {
    if (pair[0] == name) return pair[1].get<std::string>();
  }
  return "";
}

TEST(HandlerTest, HealthzAnswersOk) {
  for (const char* path : {"/healthz", "/healthz/"}) {
    Answer answer = Get("GET", path);
    EXPECT_EQ(answer.status, 200) << path;
    EXPECT_EQ(Header(answer, "content-type"), "application/json; charset=utf-8");
    json body = json::parse(answer.body, nullptr, false);
    ASSERT_TRUE(body.is_object());
    EXPECT_EQ(body["status"], "ok");
    EXPECT_TRUE(body["versions"]["sluice"].is_string());
  }
  EXPECT_EQ(Get("HEAD", "/healthz").status, 200);
}

TEST(HandlerTest, WrongMethodIs405WithAllow) {
  Answer answer = Get("POST", "/healthz");
  EXPECT_EQ(answer.status, 405);
  EXPECT_EQ(Header(answer, "allow"), "GET, HEAD");
  json body = json::parse(answer.body, nullptr, false);
  EXPECT_EQ(body["error"]["code"], "method_not_allowed");
}

TEST(HandlerTest, UnknownPathIs404WithErrorBody) {
  Answer answer = Get("GET", "/nope");
  EXPECT_EQ(answer.status, 404);
  json body = json::parse(answer.body, nullptr, false);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_TRUE(body["error"]["message"].is_string());
}

TEST(HandlerTest, MalformedFramesYieldAFaultNotACrash) {
  EXPECT_NE(Call("garbage").fault.find("envelope_malformed"), std::string::npos);
  Frame no_request;
  no_request.Add("body", "x");
  EXPECT_NE(Call(EncodeFrame(no_request)).fault.find("no request part"), std::string::npos);
  Frame bad_json;
  bad_json.Add("request", "{not json");
  EXPECT_NE(Call(EncodeFrame(bad_json)).fault.find("envelope_malformed"), std::string::npos);
  // Wrong types everywhere nlohmann/json would abort on a blind read.
  for (const json& request : {json{{"method", 1}, {"path", "/"}, {"now_ms", 0}},
                              json{{"method", "GET"}, {"path", "/"}, {"now_ms", "soon"}},
                              json{{"method", "GET"}, {"path", "/"}, {"now_ms", 0}, {"headers", {1, 2}}},
                              json{{"method", "GET"}, {"path", "/"}, {"now_ms", 0}, {"headers", {{"a", 1}}}},
                              json{{"method", "GET"}, {"path", "/"}, {"now_ms", 0}, {"query", 5}},
                              json::array()}) {
    EXPECT_FALSE(Call(RequestFrame(request)).fault.empty()) << request.dump();
  }
}

TEST(HandlerTest, HeaderNamesAreLowerCased) {
  Frame frame;
  frame.Add("request", json{{"method", "GET"}, {"path", "/healthz"}, {"now_ms", 1},
                            {"headers", {{"X-Dromo-License-Key", "k"}}}}.dump());
  std::string bytes = EncodeFrame(frame);
  Result<FrameView> view = DecodeFrameView(bytes);
  ASSERT_TRUE(view.ok());
  Result<HandlerInput> input = DecodeInput(view.value());
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input.value().request.headers.at("x-dromo-license-key"), "k");
}

}  // namespace
}  // namespace sluice::edge
