#include <volback/app/backup/tailing_copies.hpp>

#include <volback/app/backup/copy_object.hpp>

namespace volback::app {

TailingCopies::TailingCopies(std::vector<storage::Backend*> targets, std::string name, storage::PutOptions options,
                             const util::CancelToken& cancel)
  : m_targets(std::move(targets)),
    m_name(std::move(name)),
    m_options(std::move(options)),
    m_cancel(cancel),
    m_results(m_targets.size()) {}

TailingCopies::~TailingCopies() {
  if (m_state.status() == GrowthState::Status::growing) {
    m_state.fail(util::Error(util::ErrorKind::permanent, "writing the archive failed"));
  }
  join();
}

void TailingCopies::start(const std::string& path) {
  m_started = true;
  for (std::size_t i = 0; i < m_targets.size(); ++i) {
    auto source = GrowingFileSource::open(path, m_state, m_cancel);
    if (!source) {
      m_results[i] = source.error();
      continue;
    }
    m_threads.emplace_back([this, i, src = std::move(*source)]() mutable {
      auto copied = copy_object(*src, *m_targets[i], m_name, m_options, m_cancel);
      if (!copied) {
        m_results[i] = copied.error();
      }
    });
  }
}

void TailingCopies::seal() {
  m_state.seal();
}

std::optional<util::Error> TailingCopies::result_for(const storage::Backend* backend) {
  join();
  for (std::size_t i = 0; i < m_targets.size(); ++i) {
    if (m_targets[i] == backend) {
      return m_results[i];
    }
  }
  return std::nullopt;
}

void TailingCopies::join() {
  for (auto& t : m_threads) {
    t.join();
  }
  m_threads.clear();
}

}  // namespace volback::app
