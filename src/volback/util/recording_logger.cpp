#include <volback/util/recording_logger.hpp>

#include <fmt/format.h>

namespace volback::util {

RecordingLogger::RecordingLogger(Logger& next, const Clock& clock, TimeZone zone, std::size_t max_bytes)
  : m_next(next), m_clock(clock), m_zone(std::move(zone)), m_max_bytes(max_bytes) {}

void RecordingLogger::write(LogLevel level, std::string_view message, std::span<const LogField> fields) {
  m_next.write(level, message, fields);
  std::string line = format_redacted_line(format_slog_text, m_clock.now(), m_zone, level, message, fields);
  line += '\n';
  const std::lock_guard lock(m_mutex);
  const std::size_t half = m_max_bytes / 2;
  if (!m_head_full && m_head_bytes + line.size() <= half) {
    m_head_bytes += line.size();
    m_head.push_back(std::move(line));
    return;
  }
  m_head_full = true;
  if (line.size() > half) {
    // A single line larger than the tail's budget keeps its start only.
    line.resize(half > 8 ? half - 8 : 0);
    line += "[…]\n";
  }
  m_tail_bytes += line.size();
  m_tail.push_back(std::move(line));
  while (m_tail_bytes > half && !m_tail.empty()) {
    m_tail_bytes -= m_tail.front().size();
    m_tail.pop_front();
    ++m_left_out;
  }
}

std::string RecordingLogger::text() const {
  const std::lock_guard lock(m_mutex);
  std::string out;
  out.reserve(m_head_bytes + m_tail_bytes + 40);
  for (const auto& line : m_head) {
    out += line;
  }
  if (m_left_out > 0) {
    out += fmt::format("[… {} lines left out …]\n", m_left_out);
  }
  for (const auto& line : m_tail) {
    out += line;
  }
  return out;
}

std::string RecordingLogger::last_lines(std::size_t count) const {
  const std::lock_guard lock(m_mutex);
  const std::size_t from_tail = std::min(count, m_tail.size());
  const std::size_t from_head = std::min(count - from_tail, m_head.size());
  std::string out;
  for (std::size_t i = m_head.size() - from_head; i < m_head.size(); ++i) {
    out += m_head[i];
  }
  for (std::size_t i = m_tail.size() - from_tail; i < m_tail.size(); ++i) {
    out += m_tail[i];
  }
  return out;
}

}  // namespace volback::util
