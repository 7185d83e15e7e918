// Lists in pages (API.md: `?offset=&limit=`, limit at most 1000, answered as
// {count, next, previous, results}), read and written one way by every list.
#ifndef SLUICE_EDGE_PAGING_H_
#define SLUICE_EDGE_PAGING_H_

#include <cstddef>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "signing.h"

namespace sluice::edge {

struct Page {
  size_t offset = 0;
  size_t limit = 100;
};

//! The page a query asks for; false when offset or limit is not a count, or
//! limit is not between 1 and 1000.
inline bool ReadPage(const std::string& query, Page* page) {
  std::map<std::string, std::string> params = ParseQuery(query);
  for (auto [name, out] : {std::pair{"offset", &page->offset}, std::pair{"limit", &page->limit}}) {
    auto it = params.find(name);
    if (it == params.end()) continue;
    if (it->second.empty() || it->second.size() > 9 || it->second.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    *out = std::stoul(it->second);
  }
  return page->limit >= 1 && page->limit <= 1000;
}

//! {count, next, previous, results}: next and previous are `url` with the
//! neighbouring pages' offset and limit (null at the ends).
inline nlohmann::ordered_json PageBody(const std::string& url, const Page& page, size_t count,
                                       nlohmann::ordered_json results) {
  auto link = [&](size_t at) {
    return nlohmann::ordered_json(url + "?offset=" + std::to_string(at) + "&limit=" + std::to_string(page.limit));
  };
  return {{"count", count},
          {"next", page.offset + page.limit < count ? link(page.offset + page.limit) : nlohmann::ordered_json(nullptr)},
          {"previous", page.offset > 0 ? link(page.offset > page.limit ? page.offset - page.limit : 0)
                                       : nlohmann::ordered_json(nullptr)},
          {"results", std::move(results)}};
}

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_PAGING_H_
