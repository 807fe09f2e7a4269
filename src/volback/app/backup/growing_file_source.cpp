#include <volback/app/backup/growing_file_source.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace volback::app {

namespace {

constexpr std::chrono::milliseconds k_poll{20};

}  // namespace

void GrowthState::seal() {
  {
    std::lock_guard lock(m_mutex);
    m_status = Status::sealed;
  }
  m_changed.notify_all();
}

void GrowthState::fail(util::Error error) {
  {
    std::lock_guard lock(m_mutex);
    m_status = Status::failed;
    m_error = std::move(error);
  }
  m_changed.notify_all();
}

GrowthState::Status GrowthState::status() const {
  std::lock_guard lock(m_mutex);
  return m_status;
}

util::Error GrowthState::error() const {
  std::lock_guard lock(m_mutex);
  return m_error.value_or(util::Error(util::ErrorKind::permanent, "writing the archive failed"));
}

void GrowthState::wait(std::chrono::milliseconds poll) const {
  std::unique_lock lock(m_mutex);
  m_changed.wait_for(lock, poll, [this] { return m_status != Status::growing; });
}

util::Result<std::unique_ptr<GrowingFileSource>> GrowingFileSource::open(const std::string& path,
                                                                         const GrowthState& state,
                                                                         const util::CancelToken& cancel) {
  fs::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return util::fail(util::errno_error(errno, "open " + path));
  }
  return std::unique_ptr<GrowingFileSource>(new GrowingFileSource(std::move(fd), path, state, cancel));
}

util::Result<std::size_t> GrowingFileSource::read(std::span<std::byte> buf) {
  while (true) {
    VOLBACK_TRY(m_cancel.check());
    // The status is read before the data: bytes written before seal() are then seen.
    const auto status = m_state.status();
    if (status == GrowthState::Status::failed) {
      return util::fail(m_state.error());
    }
    const ssize_t n = ::pread(m_fd.get(), buf.data(), buf.size(), static_cast<off_t>(m_offset));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return util::fail(util::errno_error(errno, "read " + m_path));
    }
    if (n > 0 || buf.empty()) {
      m_offset += static_cast<std::uint64_t>(n);
      return static_cast<std::size_t>(n);
    }
    if (status == GrowthState::Status::sealed) {
      return 0;
    }
    m_state.wait(k_poll);
  }
}

}  // namespace volback::app
