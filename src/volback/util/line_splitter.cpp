#include <volback/util/line_splitter.hpp>

#include <fmt/format.h>

namespace volback::util {

Result<void> LineSplitter::feed(std::string_view chunk, const LineHandler& on_line) {
  while (!chunk.empty()) {
    const auto end = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, end);
    if (m_partial.size() + piece.size() > m_max_line) {
      return fail(ErrorKind::corrupt,
                  fmt::format("{}: line {} is longer than {} bytes", m_what, m_lines + 1, m_max_line));
    }
    if (end == std::string_view::npos) {
      m_partial.append(piece);
      return {};
    }
    ++m_lines;
    if (m_partial.empty()) {
      VOLBACK_TRY(on_line(piece));
    } else {
      m_partial.append(piece);
      VOLBACK_TRY(on_line(m_partial));
      m_partial.clear();
    }
    chunk.remove_prefix(end + 1);
  }
  return {};
}

Result<void> LineSplitter::finish(const LineHandler& on_line) {
  if (m_partial.empty()) {
    return {};
  }
  ++m_lines;
  std::string last = std::move(m_partial);
  m_partial.clear();
  return on_line(last);
}

}  // namespace volback::util
