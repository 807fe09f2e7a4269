#pragma once
// An io::Sink that writes a new file. finish() flushes it to stable storage (fsync)
// and closes it; the file stays where it is. Its dirty page cache stays bounded
// (fs/writeback_window.hpp). Destroying an unfinished FileSink closes
// and removes the file, so a failed write never leaves a file that looks complete.

#include <memory>
#include <string>

#include <volback/fs/unique_fd.hpp>
#include <volback/fs/writeback_window.hpp>
#include <volback/io/sink.hpp>
#include <volback/util/result.hpp>

namespace volback::fs {

class FileSink final : public io::Sink {
 public:
  // Creates `path`, which must not exist yet (O_EXCL), with `mode` (before umask).
  static util::Result<std::unique_ptr<FileSink>> create(const std::string& path, unsigned mode = 0644);
  ~FileSink() override;

  util::Result<void> write(std::span<const std::byte> data) override;
  util::Result<void> finish() override;

  const std::string& path() const { return m_path; }
  std::uint64_t size() const { return m_writeback.written(); }

 private:
  FileSink(UniqueFd fd, std::string path) : m_fd(std::move(fd)), m_path(std::move(path)) {}

  UniqueFd m_fd;
  std::string m_path;
  WritebackWindow m_writeback;
  bool m_finished = false;
};

// Writes all of `data` to `fd`, retrying short writes and EINTR. `what` names the
// file in errors.
util::Result<void> write_all(int fd, std::span<const std::byte> data, std::string_view what);

}  // namespace volback::fs
