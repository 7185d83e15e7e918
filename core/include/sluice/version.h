// Versions of Sluice and of the libraries compiled into it, so a build can say
// exactly what it runs (`sluice --version`, /healthz, the npm package).
#ifndef SLUICE_VERSION_H_
#define SLUICE_VERSION_H_

#include <string>

namespace sluice {

//! Sluice's own version (from CMake's project version).
const char* Version();

//! {"sluice", "zlib", "re2", "simdjson", "nlohmann_json"} as a JSON object.
std::string VersionsJson();

}  // namespace sluice

#endif  // SLUICE_VERSION_H_
