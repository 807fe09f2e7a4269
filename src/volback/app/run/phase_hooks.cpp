#include <volback/app/run/phase_hooks.hpp>

#include <algorithm>

#include <fmt/format.h>

namespace volback::app {

std::string_view to_string(Phase phase) {
  switch (phase) {
  case Phase::archive: return "archive";
  case Phase::process: return "process";
  case Phase::copy: return "copy";
  case Phase::prune: return "prune";
  }
  return "?";
}

util::Result<void> PhaseTracker::begin(Phase phase) {
  if (m_hooks) {
    if (auto done = m_hooks->pre(phase); !done) {
      return util::fail(done.error().with_context(fmt::format("{}-pre commands", to_string(phase))));
    }
  }
  m_open.push_back(phase);
  return {};
}

util::Result<void> PhaseTracker::end(Phase phase) {
  const auto it = std::find(m_open.begin(), m_open.end(), phase);
  if (it == m_open.end()) {
    return {};
  }
  m_open.erase(it);
  if (!m_hooks) {
    return {};
  }
  if (auto done = m_hooks->post(phase); !done) {
    m_log.error(fmt::format("{}-post commands failed", to_string(phase)), {{"error", done.error().message()}});
    return util::fail(done.error().with_context(fmt::format("{}-post commands", to_string(phase))));
  }
  return {};
}

util::Result<void> PhaseTracker::finish() {
  util::Result<void> first;
  while (!m_open.empty()) {
    auto done = end(m_open.back());
    if (!done && first) {
      first = std::move(done);
    }
  }
  return first;
}

void PhaseTracker::set_archive_path(std::optional<std::string> path) {
  if (m_hooks) {
    m_hooks->set_archive_path(std::move(path));
  }
}

}  // namespace volback::app
