// Helpers shared by the data-driven GoogleTest suites: reading files, finding
// a case's input, and comparing JSON as a subset.
#ifndef SLUICE_TESTS_CORE_TEST_SUPPORT_H_
#define SLUICE_TESTS_CORE_TEST_SUPPORT_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::testing {

inline std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

//! The case folders under tests/data/<stage>, sorted by name.
inline std::vector<std::filesystem::path> CaseFolders(const std::string& stage) {
  std::vector<std::filesystem::path> folders;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(SLUICE_TEST_DATA) / stage)) {
    if (entry.is_directory()) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

//! The bytes of the case's input.<ext>.
inline std::string CaseInput(const std::filesystem::path& folder) {
  for (const auto& file : std::filesystem::directory_iterator(folder)) {
    if (file.path().stem() == "input") return Slurp(file.path());
  }
  return "";
}

//! Objects: every expected key matches; arrays: same length, element-wise.
inline bool SubsetMatches(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& path,
                          std::string* why) {
  if (expected.is_object()) {
    if (!actual.is_object()) {
      *why = path + " is not an object: " + actual.dump();
      return false;
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      if (!actual.contains(it.key())) {
        *why = path + "." + it.key() + " is missing";
        return false;
      }
      if (!SubsetMatches(it.value(), actual[it.key()], path + "." + it.key(), why)) return false;
    }
    return true;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      *why = path + ": expected " + expected.dump() + ", got " + actual.dump();
      return false;
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      if (!SubsetMatches(expected[i], actual[i], path + "[" + std::to_string(i) + "]", why)) return false;
    }
    return true;
  }
  if (expected != actual) {
    *why = path + ": expected " + expected.dump() + ", got " + actual.dump();
    return false;
  }
  return true;
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_CORE_TEST_SUPPORT_H_
