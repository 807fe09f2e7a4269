#include <volback/io/tee_sink.hpp>

#include <algorithm>

namespace volback::io {

TeeSink::TeeSink(std::vector<Branch> branches) : m_branches(std::move(branches)), m_errors(m_branches.size()) {}

util::Result<void> TeeSink::write(std::span<const std::byte> data) {
  for (std::size_t i = 0; i < m_branches.size(); ++i) {
    if (m_errors[i]) {
      continue;
    }
    if (auto r = m_branches[i].sink->write(data); !r) {
      m_errors[i] = r.error();
      m_branches[i].sink.reset();  // aborts the branch's partial output
    }
  }
  return all_failed();
}

util::Result<void> TeeSink::finish() {
  for (std::size_t i = 0; i < m_branches.size(); ++i) {
    if (m_errors[i]) {
      continue;
    }
    if (auto r = m_branches[i].sink->finish(); !r) {
      m_errors[i] = r.error();
      m_branches[i].sink.reset();
    }
  }
  return all_failed();
}

util::Result<void> TeeSink::all_failed() const {
  const bool any_alive = std::any_of(m_errors.begin(), m_errors.end(), [](const auto& e) { return !e.has_value(); });
  if (any_alive || m_errors.empty()) {
    return {};
  }
  return util::fail(m_errors.front()->with_context("every destination failed; first"));
}

std::vector<TeeSink::Outcome> TeeSink::outcomes() const {
  std::vector<Outcome> out;
  out.reserve(m_branches.size());
  for (std::size_t i = 0; i < m_branches.size(); ++i) {
    out.push_back({m_branches[i].name, m_errors[i]});
  }
  return out;
}

}  // namespace volback::io
