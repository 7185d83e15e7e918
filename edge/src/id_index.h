// Id indexes: the stored JSON arrays of ids that list an organisation's
// schemas and imports (store_keys.h names them), read and written one way.
#ifndef SLUICE_EDGE_ID_INDEX_H_
#define SLUICE_EDGE_ID_INDEX_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice_edge/handler.h"

namespace sluice::edge {

//! The ids of an index record (none when it is absent or not an array).
inline std::vector<std::string> ReadIdIndex(const StoredValue* index) {
  std::vector<std::string> ids;
  if (!index) return ids;
  nlohmann::json parsed = nlohmann::json::parse(index->value, nullptr, false);
  if (!parsed.is_array()) return ids;
  for (const nlohmann::json& id : parsed) {
    if (id.is_string()) ids.push_back(id.get<std::string>());
  }
  return ids;
}

inline std::string WriteIdIndex(const std::vector<std::string>& ids) { return nlohmann::json(ids).dump(); }

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_ID_INDEX_H_
