#include <volback/io/byte_pipe.hpp>

#include <algorithm>

namespace volback::io {

util::Result<void> BytePipe::write(std::span<const std::byte> data) {
  while (!data.empty()) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_reader_error.has_value() || m_size < m_ring.size(); });
    if (m_reader_error) {
      return util::fail(*m_reader_error);
    }
    // Into the free space after the data, up to the end of the ring.
    const std::size_t tail = (m_head + m_size) % m_ring.size();
    const std::size_t n = std::min({data.size(), m_ring.size() - m_size, m_ring.size() - tail});
    std::copy_n(data.begin(), n, m_ring.begin() + static_cast<std::ptrdiff_t>(tail));
    m_size += n;
    data = data.subspan(n);
    lock.unlock();
    m_changed.notify_all();
  }
  return {};
}

void BytePipe::close() {
  {
    std::lock_guard lock(m_mutex);
    m_closed = true;
  }
  m_changed.notify_all();
}

void BytePipe::close_with_error(util::Error error) {
  {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_writer_error = std::move(error);
  }
  m_changed.notify_all();
}

util::Result<std::size_t> BytePipe::read(std::span<std::byte> buffer) {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_writer_error.has_value() || m_closed || m_size > 0; });
  if (m_writer_error) {
    return util::fail(*m_writer_error);
  }
  // From the head, up to the end of the ring.
  const std::size_t n = std::min({buffer.size(), m_size, m_ring.size() - m_head});
  std::copy_n(m_ring.begin() + static_cast<std::ptrdiff_t>(m_head), n, buffer.begin());
  m_head = (m_head + n) % m_ring.size();
  m_size -= n;
  m_consumed = m_consumed || n > 0;
  lock.unlock();
  m_changed.notify_all();
  return n;
}

void BytePipe::fail_reader(util::Error error) {
  {
    std::lock_guard lock(m_mutex);
    if (!m_reader_error) {
      m_reader_error = std::move(error);
    }
  }
  m_changed.notify_all();
}

bool BytePipe::consumed() const {
  std::lock_guard lock(m_mutex);
  return m_consumed;
}

}  // namespace volback::io
