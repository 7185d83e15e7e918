// Versions of Sluice and of its pinned third-party sources (from
// scripts/third-party.lock, passed in by CMake), checked against the headers.
#include "sluice/version.h"

#include <zlib.h>

#include "sluice/json_writer.h"

namespace sluice {

const char* Version() { return SLUICE_VERSION; }

std::string VersionsJson() {
  JsonWriter out;
  out.BeginObject();
  out.Key("sluice");
  out.String(SLUICE_VERSION);
  out.Key("zlib");
  out.String(zlibVersion());
  out.Key("debian_sources");
  out.BeginObject();
  out.Key("zlib");
  out.String(SLUICE_DEB_ZLIB);
  out.Key("re2");
  out.String(SLUICE_DEB_RE2);
  out.Key("simdjson");
  out.String(SLUICE_DEB_SIMDJSON);
  out.Key("nlohmann_json");
  out.String(SLUICE_DEB_NLOHMANN_JSON3);
  out.EndObject();
  out.EndObject();
  return out.Take();
}

}  // namespace sluice
