#pragma once
// Reading a file while another stage is still writing it: remote uploads tail the local
// backend's file or the spool, so they run at the same time as the archive is written at
// disk speed, instead of after it.
//
// The writer owns a GrowthState and calls seal() once every byte is written (or fail() when
// writing failed). A GrowingFileSource reads the file from its start; at the current end
// it waits for more until the state is sealed, then returns 0 at the real end. After fail()
// or cancellation, read() returns an error, so an upload fed by it aborts.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <volback/fs/unique_fd.hpp>
#include <volback/io/source.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// Shared by the writer and every reader. Thread-safe.
class GrowthState {
 public:
  void seal();
  void fail(util::Error error);

  enum class Status { growing, sealed, failed };
  Status status() const;
  util::Error error() const;  // REQUIRES: status() == failed

  // Waits up to `poll` for a state change.
  void wait(std::chrono::milliseconds poll) const;

 private:
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_changed;
  Status m_status = Status::growing;
  std::optional<util::Error> m_error;
};

class GrowingFileSource final : public io::Source {
 public:
  // Opens `path` now (so a later rename or unlink of the file does not matter). Errors
  // follow util::errno_error.
  static util::Result<std::unique_ptr<GrowingFileSource>> open(const std::string& path, const GrowthState& state,
                                                               const util::CancelToken& cancel);

  util::Result<std::size_t> read(std::span<std::byte> buf) override;

 private:
  GrowingFileSource(fs::UniqueFd fd, std::string path, const GrowthState& state, const util::CancelToken& cancel)
    : m_fd(std::move(fd)), m_path(std::move(path)), m_state(state), m_cancel(cancel) {}

  fs::UniqueFd m_fd;
  std::string m_path;
  const GrowthState& m_state;
  const util::CancelToken& m_cancel;
  std::uint64_t m_offset = 0;
};

}  // namespace volback::app
