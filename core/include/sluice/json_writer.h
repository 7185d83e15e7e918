// JsonWriter: the one streaming JSON writer of the project (nlohmann/json is
// for small documents only). Appends to a std::string it owns; the caller is
// responsible for well-formed nesting. Strings are emitted as valid JSON even
// when the input bytes are not valid UTF-8 (bad sequences become U+FFFD).
#ifndef SLUICE_JSON_WRITER_H_
#define SLUICE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

class JsonWriter {
 public:
  void BeginArray();
  void EndArray();
  void BeginObject();
  void EndObject();
  //! An object key; the next call writes its value.
  void Key(std::string_view key);
  //! A key already written by QuotedKey (the writers of many rows quote each key once).
  void KeyQuoted(std::string_view quoted_key);
  //! `key` as Key writes it: quoted, escaped, with its colon.
  static std::string QuotedKey(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  //! A finite double, shortest text that reads back the same; NaN and
  //! infinities (not JSON) are written as null.
  void Double(double value);
  void Bool(bool value);
  void Null();
  //! Already-serialised JSON, written as is (the caller vouches for it).
  void Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }
  void Reserve(size_t bytes) { out_.reserve(bytes); }

  //! Appends `value` as a quoted, escaped JSON string to `out`.
  static void AppendQuoted(std::string& out, std::string_view value);
  //! The most bytes WriteQuoted writes for a value of `size` bytes (a control
  //! byte becomes six: \u001f).
  static constexpr size_t QuotedBound(size_t size) { return 6 * size + 2; }
  //! Writes what AppendQuoted appends at `p`, which has room for
  //! QuotedBound(value.size()) bytes; returns the end of what it wrote.
  static char* WriteQuoted(char* p, std::string_view value);

 private:
  void BeforeValue();

  std::string out_;
  // One entry per open array/object: has it a first element yet?
  std::vector<char> has_element_;  // per open array or object: a value was written (char: vector<bool> costs a shift and mask per value)
  bool after_key_ = false;
};

}  // namespace sluice

#endif  // SLUICE_JSON_WRITER_H_
