#pragma once
// fs: thin, error-checked POSIX helpers (file descriptors, directories, free space,
// random names) that archive/ and storage/local build on.
//
// UniqueFd owns one file descriptor and closes it when destroyed. Move-only.

#include <unistd.h>

#include <utility>

namespace volback::fs {

class UniqueFd {
 public:
  UniqueFd() = default;
  // Takes ownership of `fd`; -1 means "no descriptor".
  explicit UniqueFd(int fd) : m_fd(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset(other.release());
    }
    return *this;
  }
  ~UniqueFd() { reset(); }

  int get() const { return m_fd; }
  bool valid() const { return m_fd >= 0; }

  // Gives up ownership and returns the descriptor (-1 when there was none).
  int release() { return std::exchange(m_fd, -1); }

  // Closes the owned descriptor, if any, and takes `fd`. close() errors are ignored:
  // code that must know whether its data reached the disk calls fsync() and ::close()
  // itself (see release()).
  void reset(int fd = -1) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = fd;
  }

 private:
  int m_fd = -1;
};

}  // namespace volback::fs
