#include <volback/archive/text_spill.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include <fmt/format.h>
#include <zlib.h>

#include <volback/fs/anonymous_file.hpp>

namespace volback::archive {
namespace {

gzFile gz(void* file) {
  return static_cast<gzFile>(file);
}

}  // namespace

TextSpill::TextSpill(std::string dir, std::size_t threshold, std::string what)
  : m_dir(std::move(dir)), m_threshold(threshold), m_what(std::move(what)) {}

TextSpill::~TextSpill() {
  if (m_writer != nullptr) {
    gzclose(gz(m_writer));
  }
}

util::Result<void> TextSpill::append(std::string_view text) {
  if (m_sealed) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("{}: append after read", m_what));
  }
  m_buffer.append(text);
  if (m_buffer.size() >= m_threshold) {
    return spill();
  }
  return {};
}

util::Result<void> TextSpill::spill() {
  if (m_writer == nullptr) {
    VOLBACK_TRY_ASSIGN(m_fd, fs::anonymous_file(m_dir, m_what));
    const int dup_fd = ::fcntl(m_fd.get(), F_DUPFD_CLOEXEC, 0);
    if (dup_fd < 0) {
      return util::fail(util::errno_error(errno, fmt::format("cannot duplicate {}", m_what)));
    }
    // Level 1: the texts are repetitive JSON, and this runs in line with hashing.
    m_writer = gzdopen(dup_fd, "wb1");
    if (m_writer == nullptr) {
      ::close(dup_fd);
      return util::fail(util::ErrorKind::permanent, fmt::format("cannot open {} for gzip", m_what));
    }
  }
  std::string_view rest = m_buffer;
  while (!rest.empty()) {
    const auto n = static_cast<unsigned>(std::min<std::size_t>(rest.size(), 1u << 30));
    if (gzwrite(gz(m_writer), rest.data(), n) != static_cast<int>(n)) {
      return util::fail(util::ErrorKind::permanent, fmt::format("cannot write {}", m_what));
    }
    rest.remove_prefix(n);
  }
  m_spilled += m_buffer.size();
  m_buffer.clear();
  return {};
}

util::Result<void> TextSpill::seal() {
  if (m_sealed) {
    return {};
  }
  m_sealed = true;
  if (m_writer != nullptr) {
    const int closed = gzclose(gz(m_writer));
    m_writer = nullptr;
    if (closed != Z_OK) {
      return util::fail(util::ErrorKind::permanent, fmt::format("cannot finish {}", m_what));
    }
  }
  return {};
}

util::Result<void> TextSpill::read(const ChunkHandler& visit) {
  VOLBACK_TRY_ASSIGN(auto chunks, cursor());
  for (;;) {
    VOLBACK_TRY_ASSIGN(const auto chunk, chunks.next());
    if (chunk.empty()) {
      return {};
    }
    VOLBACK_TRY(visit(chunk));
  }
}

util::Result<TextSpill::Cursor> TextSpill::cursor() {
  VOLBACK_TRY(seal());
  Cursor cursor(*this);
  if (m_spilled > 0) {
    // pread-free: each cursor reads through a descriptor of its own, from the start.
    const std::string path = fmt::format("/proc/self/fd/{}", m_fd.get());
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    gzFile in = fd < 0 ? nullptr : gzdopen(fd, "rb");
    if (in == nullptr) {
      if (fd >= 0) {
        ::close(fd);
      }
      return util::fail(util::ErrorKind::permanent, fmt::format("cannot reopen {}", m_what));
    }
    cursor.m_in = in;
  }
  return cursor;
}

TextSpill::Cursor::Cursor(Cursor&& other) noexcept
  : m_spill(other.m_spill),
    m_in(std::exchange(other.m_in, nullptr)),
    m_copied(other.m_copied),
    m_buffer_done(other.m_buffer_done),
    m_chunk(std::move(other.m_chunk)) {}

TextSpill::Cursor::~Cursor() {
  if (m_in != nullptr) {
    gzclose(gz(m_in));
  }
}

util::Result<std::string_view> TextSpill::Cursor::next() {
  const TextSpill& spill = *m_spill;
  if (m_copied < spill.m_spilled) {
    m_chunk.resize(std::size_t{1} << 18);
    const int n = gzread(gz(m_in), m_chunk.data(), static_cast<unsigned>(m_chunk.size()));
    if (n <= 0) {
      return util::fail(util::ErrorKind::permanent, fmt::format("{} came back short", spill.m_what));
    }
    const auto take = std::min<std::uint64_t>(static_cast<std::uint64_t>(n), spill.m_spilled - m_copied);
    m_copied += take;
    return std::string_view(m_chunk.data(), take);
  }
  if (!m_buffer_done) {
    m_buffer_done = true;
    return std::string_view(spill.m_buffer);
  }
  return std::string_view();
}

}  // namespace volback::archive
