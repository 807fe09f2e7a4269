#pragma once
// An io::Source that reads a file through its descriptor.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <volback/fs/unique_fd.hpp>
#include <volback/io/source.hpp>
#include <volback/util/result.hpp>

namespace volback::fs {

class FileSource final : public io::Source {
 public:
  // Reads from `fd` (an open, readable descriptor) from its current offset. `path` is
  // only used in error messages.
  FileSource(UniqueFd fd, std::string path);

  // Opens `path` read-only, reading `length` bytes from `offset` (to the end of the file
  // when nullopt; fewer when the file ends first). Errors: not_found when it does not
  // exist, permanent otherwise (EACCES, ...), as util::errno_error decides.
  static util::Result<std::unique_ptr<FileSource>> open(const std::string& path, std::uint64_t offset = 0,
                                                        std::optional<std::uint64_t> length = std::nullopt);

  // Reads up to buf.size() bytes with one read(2), retried on EINTR; 0 at the end of
  // the file. Callers get large reads by passing large buffers. Errors: permanent
  // (EIO, EISDIR, ...).
  util::Result<std::size_t> read(std::span<std::byte> buf) override;

 private:
  UniqueFd m_fd;
  std::string m_path;
  std::optional<std::uint64_t> m_remaining;  // bytes still to read, when limited
};

}  // namespace volback::fs
