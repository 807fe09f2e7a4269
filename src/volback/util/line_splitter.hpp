#pragma once
// LineSplitter: cuts a text that arrives in chunks into lines, without ever holding more
// than one line. Each complete line ("\n"-terminated, the "\n" removed) goes to a
// callback as soon as its end arrives; finish() hands over the last line when the text
// does not end with "\n".
//
// A line longer than `max_line` bytes is an error (corrupt) instead of a buffer that
// grows with the input: this is what keeps readers of untrusted line-oriented data
// (manifests, spilled rows) within bounded memory. One thread at a time.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::util {

class LineSplitter {
 public:
  using LineHandler = std::function<Result<void>(std::string_view line)>;

  // `what` names the text in errors ("the manifest").
  LineSplitter(std::size_t max_line, std::string what) : m_max_line(max_line), m_what(std::move(what)) {}

  // Feeds the next chunk; calls `on_line` for every line it completes. Errors: corrupt
  // when a line exceeds max_line; the handler's errors, unchanged.
  Result<void> feed(std::string_view chunk, const LineHandler& on_line);

  // The end of the text: the unterminated last line, if any, goes to `on_line`.
  Result<void> finish(const LineHandler& on_line);

  // Lines completed so far (1-based number of the line being assembled minus one).
  std::size_t lines() const { return m_lines; }

 private:
  std::size_t m_max_line;
  std::string m_what;
  std::string m_partial;
  std::size_t m_lines = 0;
};

}  // namespace volback::util
