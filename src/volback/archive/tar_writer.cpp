#include <volback/archive/tar_writer.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include <volback/archive/entry_ptr.hpp>

namespace volback::archive {

namespace {

constexpr std::size_t k_block = 512;
constexpr std::size_t k_zero_chunk = std::size_t{1} << 20;

struct ArchiveDeleter {
  void operator()(::archive* a) const { archive_write_free(a); }
};
using WriteArchivePtr = std::unique_ptr<::archive, ArchiveDeleter>;

std::string error_text(::archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr ? std::string(text) : std::string("unknown libarchive error");
}

std::size_t decimal_digits(std::size_t n) {
  std::size_t digits = 1;
  while (n >= 10) {
    n /= 10;
    ++digits;
  }
  return digits;
}

// "LEN key=value\n", where LEN counts the whole record including its own digits.
std::string pax_record(std::string_view key, std::string_view value) {
  const std::size_t body = 1 + key.size() + 1 + value.size() + 1;  // " key=value\n"
  std::size_t digits = decimal_digits(body);
  while (decimal_digits(body + digits) != digits) {
    ++digits;
  }
  return fmt::format("{} {}={}\n", body + digits, key, value);
}

util::Result<void> check_record(const PaxRecord& record) {
  if (record.key.empty() || record.key.find('=') != std::string::npos || record.key.find('\0') != std::string::npos) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("invalid pax header key \"{}\"", record.key));
  }
  if (record.value.find('\0') != std::string::npos) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("pax header value for \"{}\" contains a NUL byte", record.key));
  }
  return {};
}

ssize_t append_to_string(::archive*, void* client, const void* buffer, std::size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<ssize_t>(length);
}

// Seconds and nanoseconds (0 <= ns < 1e9) of a time point.
void split_time(util::TimePoint t, std::int64_t& seconds, long& nanoseconds) {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  auto secs = std::chrono::floor<std::chrono::seconds>(since_epoch);
  seconds = secs.count();
  nanoseconds = static_cast<long>((since_epoch - secs).count());
}

EntryType entry_type(::archive_entry* entry) {
  if (archive_entry_hardlink(entry) != nullptr) {
    return EntryType::hardlink;
  }
  switch (archive_entry_filetype(entry)) {
  case AE_IFREG: return EntryType::regular;
  case AE_IFDIR: return EntryType::directory;
  case AE_IFLNK: return EntryType::symlink;
  default: return EntryType::other;
  }
}

}  // namespace

TarWriter::LocaleScope::LocaleScope(TarWriter& writer) : m_writer(writer) {
  if (m_writer.m_utf8_locale != nullptr) {
    m_previous = ::uselocale(m_writer.m_utf8_locale);
    m_saved_caller = m_writer.m_caller_locale;
    if (m_saved_caller == nullptr) {
      m_writer.m_caller_locale = m_previous;
    }
  }
}

TarWriter::LocaleScope::~LocaleScope() {
  if (m_previous != nullptr) {
    ::uselocale(m_previous);
    m_writer.m_caller_locale = m_saved_caller;
  }
}

TarWriter::TarWriter(io::Sink& out, EntryObserver* observer) : m_out(out), m_observer(observer) {
  // Only LC_CTYPE matters to libarchive's name conversion; the other categories are "C".
  // Without C.UTF-8 (a stripped-down libc) non-ASCII names fall back to hdrcharset=BINARY.
  m_utf8_locale = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  LocaleScope scope(*this);
  m_archive = archive_write_new();
  if (m_archive == nullptr) {
    m_error = util::Error(util::ErrorKind::permanent, "cannot allocate the tar writer");
    return;
  }
  // Full pax (not "restricted"): every entry with a sub-second mtime keeps it.
  // bytes_per_block 0: no 10 KiB blocking, every write goes straight to the sink and the
  // archive ends right after the two zero blocks of the end-of-archive marker.
  // xattrheader=SCHILY: extended attributes only as SCHILY.xattr.* records, which GNU
  // tar, star and libarchive read. libarchive's default adds LIBARCHIVE.xattr.* records
  // too, and GNU tar 1.34 prints "Ignoring unknown extended header keyword" for each.
  if (archive_write_set_format_pax(m_archive) != ARCHIVE_OK ||
      archive_write_set_bytes_per_block(m_archive, 0) != ARCHIVE_OK ||
      archive_write_set_format_option(m_archive, "pax", "xattrheader", "SCHILY") != ARCHIVE_OK ||
      archive_write_open(m_archive, this, nullptr, &TarWriter::write_callback, nullptr) != ARCHIVE_OK) {
    m_error = util::Error(util::ErrorKind::permanent, "cannot set up the tar writer: " + error_text(m_archive));
  }
}

TarWriter::~TarWriter() {
  if (m_archive != nullptr) {
    // archive_write_free() closes the archive and would write the end-of-archive marker
    // (and pad an open entry). An archive that was not finished must not look complete,
    // so those bytes are dropped.
    m_discard = true;
    LocaleScope scope(*this);
    // Closing explicitly, even after a fatal error: archive_write_free() skips the close
    // of an archive in the fatal state, and libarchive 3.6 then leaks its client state.
    archive_write_close(m_archive);
    archive_write_free(m_archive);
  }
  if (m_utf8_locale != nullptr) {
    ::freelocale(m_utf8_locale);
  }
}

ssize_t TarWriter::write_callback(::archive*, void* client, const void* buffer, std::size_t length) {
  auto* self = static_cast<TarWriter*>(client);
  if (self->m_discard) {
    return static_cast<ssize_t>(length);
  }
  if (self->m_error) {
    return -1;  // the sink is unusable after its first error
  }
  // The sink (compressor, uploads, ...) runs in the caller's locale, not in the one the
  // writer lent libarchive.
  const locale_t lent = self->m_caller_locale != nullptr ? ::uselocale(self->m_caller_locale) : nullptr;
  auto written = self->m_out.write(std::span<const std::byte>(static_cast<const std::byte*>(buffer), length));
  if (lent != nullptr) {
    ::uselocale(lent);
  }
  if (!written) {
    self->m_error = std::move(written).error();
    return -1;
  }
  return static_cast<ssize_t>(length);
}

util::Result<void> TarWriter::check_usable() const {
  if (m_error) {
    return util::fail(*m_error);
  }
  if (m_finished) {
    return util::fail(util::ErrorKind::invalid_argument, "the tar archive is already finished");
  }
  return {};
}

util::Error TarWriter::fatal(std::string_view what) {
  if (!m_error) {
    m_error = util::Error(util::ErrorKind::permanent, fmt::format("{}: {}", what, error_text(m_archive)));
  }
  m_entry_open = false;
  return *m_error;
}

util::Result<void> TarWriter::write_raw(std::span<const std::byte> data) {
  auto written = m_out.write(data);
  if (!written) {
    m_error = written.error();
    return written;
  }
  return {};
}

// libarchive has no API for a pax global header (typeflag 'g'). The header block is
// therefore produced by libarchive's ustar writer as a regular-file entry named
// "pax_global_header" whose content is the pax records, written into memory; then only
// the typeflag byte is changed from '0' to 'g' and the header checksum recomputed. Every
// other byte (numeric fields, magic, padding) is libarchive's. This is the only tar block
// volback does not leave entirely to libarchive.
util::Result<void> TarWriter::write_global_header(std::span<const PaxRecord> records) {
  VOLBACK_TRY(check_usable());
  if (m_any_entry) {
    return util::fail(util::ErrorKind::invalid_argument, "the pax global header must precede every entry");
  }
  std::string text;
  for (const auto& record : records) {
    VOLBACK_TRY(check_record(record));
    text += pax_record(record.key, record.value);
  }

  std::string encoded;
  WriteArchivePtr ustar(archive_write_new());
  EntryPtr entry(archive_entry_new());
  if (!ustar || !entry) {
    return util::fail(util::ErrorKind::permanent, "cannot allocate the pax global header");
  }
  archive_entry_set_pathname(entry.get(), "pax_global_header");
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(text.size()));
  archive_entry_set_mtime(entry.get(), 0, 0);
  if (archive_write_set_format_ustar(ustar.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_per_block(ustar.get(), 0) != ARCHIVE_OK ||
      archive_write_open(ustar.get(), &encoded, nullptr, append_to_string, nullptr) != ARCHIVE_OK ||
      archive_write_header(ustar.get(), entry.get()) != ARCHIVE_OK ||
      archive_write_data(ustar.get(), text.data(), text.size()) != static_cast<la_ssize_t>(text.size()) ||
      archive_write_finish_entry(ustar.get()) != ARCHIVE_OK) {
    return util::fail(util::ErrorKind::permanent, "cannot encode the pax global header: " + error_text(ustar.get()));
  }
  const std::size_t padded = (text.size() + k_block - 1) / k_block * k_block;
  if (encoded.size() < k_block + padded) {
    return util::fail(util::ErrorKind::permanent, "cannot encode the pax global header");
  }
  encoded.resize(k_block + padded);

  constexpr std::size_t k_checksum_offset = 148;
  constexpr std::size_t k_checksum_size = 8;
  constexpr std::size_t k_typeflag_offset = 156;
  encoded[k_typeflag_offset] = 'g';
  // The checksum is the sum of the header's bytes, taken as unsigned, with the checksum
  // field counted as eight spaces; written like libarchive does: six octal digits, NUL,
  // space.
  std::memset(encoded.data() + k_checksum_offset, ' ', k_checksum_size);
  unsigned sum = 0;
  for (std::size_t i = 0; i < k_block; ++i) {
    sum += static_cast<unsigned char>(encoded[i]);
  }
  const std::string digits = fmt::format("{:06o}", sum);
  std::memcpy(encoded.data() + k_checksum_offset, digits.data(), 6);
  encoded[k_checksum_offset + 6] = '\0';
  encoded[k_checksum_offset + 7] = ' ';

  // The main writer has not written anything yet and does not buffer, so these bytes
  // land in front of the first entry.
  return write_raw(io::as_bytes(encoded));
}

util::Result<void> TarWriter::add_memory_file(std::string_view name, std::string_view content, std::uint32_t mode,
                                              util::TimePoint mtime) {
  VOLBACK_TRY(check_usable());
  EntryPtr entry(archive_entry_new());
  if (!entry) {
    return util::fail(util::ErrorKind::permanent, "cannot allocate a tar entry");
  }
  const std::string path(name);
  archive_entry_copy_pathname(entry.get(), path.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), static_cast<__LA_MODE_T>(mode & 07777));
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  std::int64_t seconds = 0;
  long nanoseconds = 0;
  split_time(mtime, seconds, nanoseconds);
  archive_entry_set_mtime(entry.get(), static_cast<time_t>(seconds), nanoseconds);
  VOLBACK_TRY(begin_entry(entry.get()));
  VOLBACK_TRY(write_data(io::as_bytes(content)));
  return end_entry();
}

util::Result<void> TarWriter::begin_entry(::archive_entry* entry) {
  VOLBACK_TRY(check_usable());
  if (m_entry_open) {
    return util::fail(util::ErrorKind::invalid_argument, "a tar entry is still open");
  }

  // The runs of logical content, computed like the pax writer does (a hole before each
  // sparse block that does not start where the previous one ended, and one after the
  // last block up to the file size), so that write_data() can split at the same places.
  std::vector<Segment> segments;
  const bool has_content = archive_entry_filetype(entry) == AE_IFREG && archive_entry_hardlink(entry) == nullptr;
  if (has_content) {
    const auto size = static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0));
    if (archive_entry_sparse_reset(entry) > 0) {
      std::uint64_t end = 0;
      la_int64_t offset = 0;
      la_int64_t length = 0;
      while (archive_entry_sparse_next(entry, &offset, &length) == ARCHIVE_OK) {
        const auto off = static_cast<std::uint64_t>(offset);
        const auto len = static_cast<std::uint64_t>(length);
        if (offset < 0 || length < 0 || off < end || off + len > size) {
          return util::fail(util::ErrorKind::permanent,
                            fmt::format("{}: invalid sparse map", archive_entry_pathname(entry)));
        }
        if (off > end) {
          segments.push_back({off - end, true});
        }
        if (len > 0) {
          segments.push_back({len, false});
        }
        end = off + len;
      }
      if (end < size) {
        segments.push_back({size - end, true});
      }
    } else if (size > 0) {
      segments.push_back({size, false});
    }
  }

  const char* name_before = archive_entry_pathname(entry);
  EntryInfo info;
  info.path = name_before != nullptr ? name_before : "";

  int status = ARCHIVE_OK;
  {
    LocaleScope scope(*this);
    status = archive_write_header(m_archive, entry);
  }
  if (status == ARCHIVE_FATAL) {
    return util::fail(fatal(fmt::format("cannot write the tar header of {}", info.path)));
  }
  if (status < ARCHIVE_WARN) {
    // Refused before anything was written (e.g. an unsupported file type).
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("cannot add {} to the archive: {}", info.path, error_text(m_archive)));
  }
  m_any_entry = true;
  m_entry_open = true;
  // After the header libarchive leaves in the entry the size of the content it expects:
  // 0 for hard links and non-regular files.
  m_remaining = static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0));
  if (!has_content) {
    segments.clear();
    m_remaining = 0;
  }
  m_segments = std::move(segments);
  m_segment_index = 0;

  if (m_observer != nullptr) {
    info.type = entry_type(entry);
    info.size = info.type == EntryType::regular ? m_remaining : 0;
    info.mode = archive_entry_mode(entry);
    info.uid = archive_entry_uid(entry);
    info.gid = archive_entry_gid(entry);
    info.mtime = util::TimePoint(std::chrono::duration_cast<util::TimePoint::duration>(
      std::chrono::seconds(archive_entry_mtime(entry)) + std::chrono::nanoseconds(archive_entry_mtime_nsec(entry))));
    const char* target =
      info.type == EntryType::hardlink ? archive_entry_hardlink(entry) : archive_entry_symlink(entry);
    if (target != nullptr) {
      info.link_target = target;
    }
    m_observer->begin_entry(info);
  }
  return {};
}

const std::byte* TarWriter::zeros(std::size_t count) {
  if (m_zeros.size() < count) {
    m_zeros.assign(std::max(count, k_zero_chunk), std::byte{0});
  }
  return m_zeros.data();
}

// Hands logical content to libarchive, one run at a time: the pax writer drops the bytes
// that fall in holes and stores the rest. Splitting at run boundaries lets the observer
// be shown zeros for holes (what a reader extracts there) even if a caller passed other
// bytes, and bounds each zero write by the zero buffer. `data` == nullptr means zeros.
util::Result<void> TarWriter::feed(const std::byte* data, std::uint64_t count) {
  while (count > 0) {
    while (m_segment_index < m_segments.size() && m_segments[m_segment_index].remaining == 0) {
      ++m_segment_index;
    }
    if (m_segment_index == m_segments.size()) {
      return util::fail(util::ErrorKind::invalid_argument, "more data than the tar entry holds");
    }
    Segment& segment = m_segments[m_segment_index];
    std::uint64_t n = std::min(count, segment.remaining);
    if (data == nullptr || segment.hole) {
      n = std::min<std::uint64_t>(n, k_zero_chunk);
    }
    const std::size_t chunk = static_cast<std::size_t>(n);
    const std::byte* bytes = data != nullptr ? data : zeros(chunk);
    la_ssize_t written = 0;
    {
      LocaleScope scope(*this);
      written = archive_write_data(m_archive, bytes, chunk);
    }
    if (written < 0) {
      return util::fail(fatal("cannot write tar data"));
    }
    if (static_cast<std::size_t>(written) != chunk) {
      return util::fail(fatal("short tar data write"));
    }
    if (m_observer != nullptr) {
      m_observer->entry_data(std::span<const std::byte>(segment.hole && data != nullptr ? zeros(chunk) : bytes, chunk));
    }
    segment.remaining -= n;
    m_remaining -= n;
    count -= n;
    if (data != nullptr) {
      data += chunk;
    }
  }
  return {};
}

util::Result<void> TarWriter::write_data(std::span<const std::byte> data) {
  VOLBACK_TRY(check_usable());
  if (!m_entry_open || data.size() > m_remaining) {
    return util::fail(util::ErrorKind::invalid_argument, "tar data exceeds the size of the open entry");
  }
  if (data.empty()) {
    return {};
  }
  return feed(data.data(), data.size());
}

util::Result<void> TarWriter::write_zeros(std::uint64_t count) {
  VOLBACK_TRY(check_usable());
  if (!m_entry_open || count > m_remaining) {
    return util::fail(util::ErrorKind::invalid_argument, "tar data exceeds the size of the open entry");
  }
  return feed(nullptr, count);
}

util::Result<void> TarWriter::end_entry() {
  VOLBACK_TRY(check_usable());
  if (!m_entry_open) {
    return util::fail(util::ErrorKind::invalid_argument, "no tar entry is open");
  }
  // Padding through feed() rather than leaving it to archive_write_finish_entry(), so
  // that the observer sees the padding as content, exactly as a reader will.
  if (m_remaining > 0) {
    VOLBACK_TRY(feed(nullptr, m_remaining));
  }
  int status = ARCHIVE_OK;
  {
    LocaleScope scope(*this);
    status = archive_write_finish_entry(m_archive);
  }
  if (status < ARCHIVE_WARN) {
    return util::fail(fatal("cannot finish a tar entry"));
  }
  m_entry_open = false;
  m_segments.clear();
  if (m_observer != nullptr) {
    m_observer->end_entry();
  }
  return {};
}

util::Result<void> TarWriter::finish() {
  VOLBACK_TRY(check_usable());
  if (m_entry_open) {
    return util::fail(util::ErrorKind::invalid_argument, "a tar entry is still open");
  }
  int status = ARCHIVE_OK;
  {
    LocaleScope scope(*this);
    status = archive_write_close(m_archive);
  }
  if (status < ARCHIVE_WARN) {
    return util::fail(fatal("cannot finish the tar archive"));
  }
  m_finished = true;
  return {};
}

}  // namespace volback::archive
