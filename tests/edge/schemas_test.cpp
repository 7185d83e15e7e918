// The saved-schema routes and authentication, through MemoryHost.
#include <gtest/gtest.h>

#include <string>

#include "memory_host.h"

namespace sluice::edge {
namespace {

using testing::HttpAnswer;
using testing::MemoryHost;

const char kSchema[] = R"({"name": "contacts", "fields": [{"key": "email", "label": "Email", "type": "email",
  "validators": [{"validate": "required"}]}], "settings": {"importIdentifier": "contacts"}})";

TEST(AuthTest, MissingOrWrongKeyIs401) {
  MemoryHost host;
  for (const char* key : {"", "wrong-key"}) {
    HttpAnswer answer = host.Call("GET", "/api/v1/schemas/", "", key);
    EXPECT_EQ(answer.status, 401) << key;
    EXPECT_EQ(answer.json()["error"]["code"], "unauthorized");
    EXPECT_EQ(answer.headers["www-authenticate"], "Bearer");
  }
  HttpAnswer bearer = host.Call("GET", "/api/v1/schemas", "", "", {{"Authorization", "Bearer acme-key"}});
  EXPECT_EQ(bearer.status, 200);
}

TEST(SchemasTest, CreateGetListReplaceDelete) {
  MemoryHost host;
  HttpAnswer created = host.Call("POST", "/api/v1/schemas/", kSchema);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json()["id"].get<std::string>();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(created.json()["name"], "contacts");
  EXPECT_EQ(created.json()["created_date"], "2025-11-29T13:10:00.000Z");
  EXPECT_EQ(created.headers["location"], "/api/v1/schemas/" + id + "/");

  HttpAnswer fetched = host.Call("GET", "/api/v1/schemas/" + id + "/");
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body, created.body);
  HttpAnswer listed = host.Call("GET", "/api/v1/schemas");
  ASSERT_EQ(listed.json().size(), 1u);
  EXPECT_EQ(listed.json()[0]["id"], id);

  host.now_ms += 60000;
  std::string renamed = std::string(kSchema).replace(std::string(kSchema).find("contacts"), 8, "people");
  HttpAnswer replaced = host.Call("PUT", "/api/v1/schemas/" + id, renamed);
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.json()["name"], "people");
  EXPECT_EQ(replaced.json()["created_date"], "2025-11-29T13:10:00.000Z");
  EXPECT_EQ(replaced.json()["modified_date"], "2025-11-29T13:11:00.000Z");
  // The old name is free again.
  EXPECT_EQ(host.Call("POST", "/api/v1/schemas/", kSchema).status, 201);

  EXPECT_EQ(host.Call("DELETE", "/api/v1/schemas/" + id + "/").status, 204);
  EXPECT_EQ(host.Call("GET", "/api/v1/schemas/" + id + "/").status, 404);
  EXPECT_EQ(host.Call("DELETE", "/api/v1/schemas/" + id + "/").status, 404);
  EXPECT_EQ(host.Call("GET", "/api/v1/schemas/").json().size(), 1u);
}

TEST(SchemasTest, InvalidSchemaIs422WithEveryProblem) {
  MemoryHost host;
  HttpAnswer answer = host.Call("POST", "/api/v1/schemas/",
                                R"({"fields": [{"key": "a", "label": "A", "type": "money"}, {"key": "a", "label": "B",
                                   "validators": [{"validate": "regex_match", "regex": "(x)\\1"}]}]})");
  ASSERT_EQ(answer.status, 422);
  nlohmann::json error = answer.json()["error"];
  EXPECT_EQ(error["code"], "schema_invalid");
  std::vector<std::string> codes;
  for (const auto& detail : error["details"]) codes.push_back(detail["code"].get<std::string>());
  EXPECT_EQ(codes, (std::vector<std::string>{"schema.missing_name", "type.unknown", "regex.not_linear",
                                             "field.duplicate_key"}));
  EXPECT_EQ(error["details"][1]["path"], "$.fields[0].type");
}

TEST(SchemasTest, MalformedBodiesAre400) {
  MemoryHost host;
  HttpAnswer broken = host.Call("POST", "/api/v1/schemas/", "{not json");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.json()["error"]["code"], "malformed_json");
  EXPECT_EQ(host.Call("POST", "/api/v1/schemas/", "[1]").json()["error"]["code"], "invalid_body");
  EXPECT_EQ(host.Call("POST", "/api/v1/schemas/", std::string("\xff\xfe", 2)).status, 400);
}

TEST(SchemasTest, DeeplyNestedBodiesAre400NotACrash) {
  MemoryHost host;
  std::string deep = "{\"name\":\"x\",\"fields\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  HttpAnswer answer = host.Call("POST", "/api/v1/schemas/", deep);
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.json()["error"]["code"], "invalid_body");
  std::string deep_data = "{\"fields\":[{\"key\":\"a\",\"label\":\"A\"}],\"initial_data\":[" +
                          std::string(100, '[') + std::string(100, ']') + "]}";
  EXPECT_EQ(host.Call("POST", "/api/v1/headless/imports/", deep_data).status, 400);
}

TEST(SchemasTest, NamesAreUniquePerOrganisation) {
  MemoryHost host;
  EXPECT_EQ(host.Call("POST", "/api/v1/schemas/", kSchema).status, 201);
  HttpAnswer again = host.Call("POST", "/api/v1/schemas/", kSchema);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()["error"]["code"], "schema_name_taken");
  EXPECT_EQ(host.Call("POST", "/api/v1/schemas/", kSchema, "globex-key").status, 201);  // another organisation
}

TEST(SchemasTest, OrganisationsNeverSeeEachOther) {
  MemoryHost host;
  std::string id = host.Call("POST", "/api/v1/schemas/", kSchema).json()["id"].get<std::string>();
  EXPECT_EQ(host.Call("GET", "/api/v1/schemas/" + id, "", "globex-key").status, 404);
  EXPECT_EQ(host.Call("PUT", "/api/v1/schemas/" + id, kSchema, "globex-key").status, 404);
  EXPECT_EQ(host.Call("DELETE", "/api/v1/schemas/" + id, "", "globex-key").status, 404);
  EXPECT_EQ(host.Call("GET", "/api/v1/schemas/", "", "globex-key").json().size(), 0u);
  EXPECT_EQ(host.Call("GET", "/api/v1/schemas/" + id).status, 200);
  for (const auto& [key, value] : host.kv()) {
    if (key.rfind("org/", 0) == 0) {
      EXPECT_EQ(key.rfind("org/acme/", 0), 0u) << key;
    }
  }
}

TEST(SchemasTest, WrongMethodsAre405) {
  MemoryHost host;
  HttpAnswer answer = host.Call("PATCH", "/api/v1/schemas/x/");
  EXPECT_EQ(answer.status, 405);
  EXPECT_EQ(answer.headers["allow"], "GET, PUT, DELETE");
  EXPECT_EQ(host.Call("DELETE", "/api/v1/schemas/").status, 405);
}

TEST(SchemasTest, ConcurrentCreatesConflictAndRetry) {
  // A write that lost its race is retried by the host: both creates land.
  MemoryHost host;
  EXPECT_EQ(host.Call("POST", "/api/v1/schemas/", kSchema).status, 201);
  std::string second = std::string(kSchema).replace(std::string(kSchema).find("contacts"), 8, "other");
  host.Store("org/acme/schemas", "[]");  // the index changed behind the handler's back
  EXPECT_EQ(host.Call("POST", "/api/v1/schemas/", second).status, 201);
}

}  // namespace
}  // namespace sluice::edge
