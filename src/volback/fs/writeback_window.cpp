#include <volback/fs/writeback_window.hpp>

#include <fcntl.h>

namespace volback::fs {

void WritebackWindow::advance(int fd, std::uint64_t bytes) {
  m_written += bytes;
  while (m_written - m_started >= m_window) {
    // Wait for the previous window (its writeback was started one window ago) ...
    if (m_started > m_settled) {
      ::sync_file_range(fd, static_cast<off64_t>(m_settled), static_cast<off64_t>(m_started - m_settled),
                        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
      m_settled = m_started;
    }
    // ... and start the one just completed.
    ::sync_file_range(fd, static_cast<off64_t>(m_started), static_cast<off64_t>(m_window), SYNC_FILE_RANGE_WRITE);
    m_started += m_window;
  }
}

}  // namespace volback::fs
