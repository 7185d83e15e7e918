// The OpenAPI description is served, and it describes exactly the routes the
// router answers (every path, every method), so the two cannot drift apart.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "memory_host.h"
#include "router.h"

namespace sluice::edge {
namespace {

// "/api/v1/schemas/{id}/" -> "/api/v1/schemas/*" (the router's form).
std::string RouterForm(std::string path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      out.push_back('*');
      i = path.find('}', i);
    } else {
      out.push_back(path[i]);
    }
  }
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return text;
}

TEST(OpenApiTest, ServedAndInStepWithTheRouter) {
  testing::MemoryHost host;
  testing::HttpAnswer answer = host.Call("GET", "/openapi.json", "", "");
  ASSERT_EQ(answer.status, 200);
  nlohmann::json doc = answer.json();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["openapi"], "3.1.0");

  std::map<std::string, std::set<std::string>> documented;
  for (auto path = doc["paths"].begin(); path != doc["paths"].end(); ++path) {
    for (auto op = path.value().begin(); op != path.value().end(); ++op) {
      if (op.key() != "parameters") documented[RouterForm(path.key())].insert(op.key());
    }
  }
  std::map<std::string, std::set<std::string>> routed;
  for (const auto& [pattern, methods] : PublicRoutes()) {
    size_t start = 0;
    while (start < methods.size()) {
      size_t comma = methods.find(", ", start);
      routed[pattern].insert(Lower(methods.substr(start, comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 2;
    }
  }
  EXPECT_EQ(documented, routed);
}

// Every "$ref" in the description points at something it defines.
void CheckRefs(const nlohmann::json& node, const nlohmann::json& doc) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "$ref" && it.value().is_string()) {
        std::string ref = it.value().get<std::string>();
        ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
        EXPECT_TRUE(doc.contains(nlohmann::json::json_pointer(ref.substr(1)))) << ref;
      } else {
        CheckRefs(it.value(), doc);
      }
    }
  } else if (node.is_array()) {
    for (const auto& item : node) CheckRefs(item, doc);
  }
}

TEST(OpenApiTest, EveryReferenceResolves) {
  testing::MemoryHost host;
  nlohmann::json doc = host.Call("GET", "/openapi.json", "", "").json();
  CheckRefs(doc, doc);
}

// Each documented operation, called as a client would get it wrong or right
// (no key, a key and unknown ids, an empty body), answers only with statuses
// its description lists.
TEST(OpenApiTest, EveryOperationAnswersAsDocumented) {
  testing::MemoryHost host;
  nlohmann::json doc = host.Call("GET", "/openapi.json", "", "").json();
  int checked = 0;
  for (auto path = doc["paths"].begin(); path != doc["paths"].end(); ++path) {
    std::string concrete;
    for (size_t i = 0; i < path.key().size(); ++i) {
      if (path.key()[i] == '{') {
        concrete += path.key().compare(i, 5, "{org}") == 0 ? "acme" : "00000000-0000-4000-8000-000000000000";
        i = path.key().find('}', i);
      } else {
        concrete.push_back(path.key()[i]);
      }
    }
    for (auto op = path.value().begin(); op != path.value().end(); ++op) {
      if (op.key() == "parameters") continue;
      std::string method = op.key();
      for (char& c : method) c = static_cast<char>(c - 32);
      const nlohmann::json& responses = op.value()["responses"];
      for (const char* key : {"", "acme-key"}) {
        for (const char* body : {"", "{}"}) {
          testing::HttpAnswer answer = host.Call(method, concrete, body, key);
          EXPECT_TRUE(responses.contains(std::to_string(answer.status)))
              << method << " " << concrete << " (key '" << key << "', body '" << body << "') answered "
              << answer.status << ", documented: " << responses.dump() << "\n" << answer.body;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 60);
}

}  // namespace
}  // namespace sluice::edge
