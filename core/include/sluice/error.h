// Errors are values (DESIGN.md): every fallible call returns Result<T>, which
// holds either a T or an Error with a stable machine-readable code. The core
// builds without C++ exceptions on every target; nothing here throws.
#ifndef SLUICE_ERROR_H_
#define SLUICE_ERROR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace sluice {

//! A failure a caller can act on: `code` is stable (tests and clients match on
//! it), `message` is for people, `offset` is a byte position in the input when
//! one helps (-1 otherwise).
struct Error {
  std::string code;
  std::string message;
  int64_t offset = -1;
};

//! Either a value or an Error. Check ok() before value(); value() on an error
//! (or error() on a value) is a programming error and aborts.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return *std::get_if<0>(&state_); }
  T& value() & { return *std::get_if<0>(&state_); }
  T&& value() && { return std::move(*std::get_if<0>(&state_)); }
  const Error& error() const { return *std::get_if<1>(&state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace sluice

#endif  // SLUICE_ERROR_H_
