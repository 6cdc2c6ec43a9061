// Result<T> carries either a value or an Error (an Errc and a message fit to show the caller).
//
// Used for every expected failure; exceptions are reserved for broken invariants. Messages must
// never contain secrets or token values: they may reach logs and HTTP responses. A Result is a
// plain value type: not synchronised, safe to move between threads.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "common/errc.hpp"

namespace sg {

struct Error {
  Errc code = Errc::kInternal;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

inline Error make_error(Errc code, std::string message) {
  return Error{code, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }
  Errc code() const { return error().code; }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  Errc code() const { return error_.code; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace sg
