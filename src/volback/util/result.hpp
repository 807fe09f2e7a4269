#pragma once
// The error vocabulary of the whole program.
//
// Everything that touches I/O, the network or parsing returns Result<T>. An Error
// carries a kind that callers branch on (retry a transient error, report a corrupt
// archive, ...) and a message for people. The kind is decided where the error arises,
// never guessed later from the text. Exceptions are reserved for bugs.

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace volback::util {

enum class ErrorKind {
  invalid_argument,  // bad configuration or usage; never retried
  not_found,         // the file, object or container does not exist
  permanent,         // an I/O or server error that will fail again if retried
  transient,         // a timeout, reset or 5xx: retrying may succeed
  auth,              // credentials were refused
  cancelled,         // the run's CancelToken fired
  corrupt,           // data failed an integrity check
};

std::string_view to_string(ErrorKind kind);

class Error {
 public:
  Error(ErrorKind kind, std::string message) : m_kind(kind), m_message(std::move(message)) {}

  ErrorKind kind() const { return m_kind; }
  const std::string& message() const { return m_message; }

  // Returns a copy whose message is "<context>: <message>", keeping the kind.
  Error with_context(std::string_view context) const;

 private:
  ErrorKind m_kind;
  std::string m_message;
};

template <typename T>
using Result = tl::expected<T, Error>;

// The failure value: `return fail(ErrorKind::not_found, "...");`
inline tl::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return tl::unexpected<Error>(Error(kind, std::move(message)));
}

inline tl::unexpected<Error> fail(Error error) {
  return tl::unexpected<Error>(std::move(error));
}

// An Error for a failed system call: "<what>: <strerror(err)>". ENOENT and ENOTDIR map to
// not_found, EINTR/EAGAIN/ETIMEDOUT/ECONNRESET/ECONNREFUSED to transient, everything
// else (EACCES, EIO, ENOSPC, ...) to permanent.
Error errno_error(int err, std::string_view what);

}  // namespace volback::util

#define VOLBACK_CONCAT_INNER(a, b) a##b
#define VOLBACK_CONCAT(a, b) VOLBACK_CONCAT_INNER(a, b)

// Evaluates a Result<void>-like expression and returns its error from the enclosing
// function if it failed.
#define VOLBACK_TRY(expr)                                                                      \
  do {                                                                                         \
    auto&& volback_try_result_ = (expr);                                                       \
    if (!volback_try_result_) {                                                                \
      return ::tl::unexpected<::volback::util::Error>(std::move(volback_try_result_).error()); \
    }                                                                                          \
  } while (false)

// Declares `decl` (e.g. `auto x` or `Foo foo`) from a Result, or returns its error.
#define VOLBACK_TRY_ASSIGN(decl, expr) VOLBACK_TRY_ASSIGN_IMPL(VOLBACK_CONCAT(volback_try_r_, __LINE__), decl, expr)
#define VOLBACK_TRY_ASSIGN_IMPL(tmp, decl, expr)                             \
  auto tmp = (expr);                                                         \
  if (!tmp) {                                                                \
    return ::tl::unexpected<::volback::util::Error>(std::move(tmp).error()); \
  }                                                                          \
  decl = std::move(*tmp)
