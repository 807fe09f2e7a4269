#pragma once
// Makes sure a Quiescer's resume() runs exactly once: at the seal point when the job
// gets there, or when the guard goes out of scope on any other path (an error, an
// exception, cancellation).

#include <optional>

#include <volback/app/run/quiescer.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

class ResumeGuard {
 public:
  // REQUIRES: quiescer.quiesce() succeeded. `quiescer`, `log` and `clock` (which, when
  // given, records when the resume ended) must outlive the guard.
  ResumeGuard(Quiescer& quiescer, util::Logger& log, const util::Clock* clock = nullptr)
    : m_quiescer(quiescer), m_log(log), m_clock(clock) {}
  ResumeGuard(const ResumeGuard&) = delete;
  ResumeGuard& operator=(const ResumeGuard&) = delete;

  ~ResumeGuard() {
    if (!m_done) {
      (void)resume();
    }
  }

  // Resumes now, once; later calls return the first result.
  util::Result<void> resume() {
    if (!m_done) {
      m_done = true;
      auto result = m_quiescer.resume();
      if (m_clock != nullptr) {
        m_resumed_at = m_clock->now();
      }
      if (!result) {
        m_log.error("Restarting the stopped containers failed", {{"error", result.error().message()}});
        m_error = result.error();
      }
    }
    if (m_error) {
      return util::fail(*m_error);
    }
    return {};
  }

  // When resume() returned; nullopt before, or without a clock.
  std::optional<util::TimePoint> resumed_at() const { return m_resumed_at; }

 private:
  Quiescer& m_quiescer;
  util::Logger& m_log;
  const util::Clock* m_clock;
  std::optional<util::TimePoint> m_resumed_at;
  bool m_done = false;
  std::optional<util::Error> m_error;
};

}  // namespace volback::app
