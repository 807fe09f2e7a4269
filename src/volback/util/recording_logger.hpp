#pragma once
// A Logger that passes every record on to another logger and keeps a bounded copy of
// the run's log text, for what reports the run afterwards: the notifications' LogOutput
// (offen keeps the whole log of a run in memory for its templates) and the last lines a
// failure ping carries.
//
// The copy is in Go slog's text layout whatever LOG_FORMAT says, with the user info of
// URLs redacted as LineLogger does, and holds only the records the next logger writes
// (enabled() is the next logger's). It is bounded: the first `max_bytes / 2` bytes of the
// log are kept, and of the rest only the newest lines that fit in the other half; text()
// marks the lines left out between them.

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::util {

class RecordingLogger final : public Logger {
 public:
  // How much log text a run keeps by default: offen's default bodies carry it whole.
  static constexpr std::size_t k_default_max_bytes = 256 * 1024;

  // `next` and `clock` must outlive this logger.
  RecordingLogger(Logger& next, const Clock& clock, TimeZone zone, std::size_t max_bytes = k_default_max_bytes);

  bool enabled(LogLevel level) const override { return m_next.enabled(level); }
  // Writes to the next logger, then keeps the line. Thread-safe.
  void write(LogLevel level, std::string_view message, std::span<const LogField> fields) override;

  // The kept text, one record per line (each ending in "\n"); where lines were left out,
  // a line "[… N lines left out …]" stands in their place.
  std::string text() const;

  // The last `count` kept lines, oldest first, each ending in "\n".
  std::string last_lines(std::size_t count) const;

 private:
  Logger& m_next;
  const Clock& m_clock;
  TimeZone m_zone;
  std::size_t m_max_bytes;
  mutable std::mutex m_mutex;
  std::vector<std::string> m_head;  // the first lines, up to half the budget
  std::size_t m_head_bytes = 0;
  bool m_head_full = false;        // once a line did not fit, later lines go to the tail
  std::deque<std::string> m_tail;  // the newest lines after the head
  std::size_t m_tail_bytes = 0;
  std::size_t m_left_out = 0;  // lines dropped between head and tail
};

}  // namespace volback::util
