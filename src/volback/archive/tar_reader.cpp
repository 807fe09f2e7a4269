#include <volback/archive/tar_reader.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include <volback/archive/manifest.hpp>

namespace volback::archive {
namespace {

constexpr std::size_t k_buffer_size = std::size_t{1} << 20;
// How much of the stream start is kept to find the global header's records.
constexpr std::size_t k_prefix_limit = 64 * 1024;

class LocaleGuard {
 public:
  explicit LocaleGuard(locale_t locale) : m_previous(locale != nullptr ? ::uselocale(locale) : nullptr) {}
  ~LocaleGuard() {
    if (m_previous != nullptr) {
      ::uselocale(m_previous);
    }
  }
  LocaleGuard(const LocaleGuard&) = delete;
  LocaleGuard& operator=(const LocaleGuard&) = delete;

 private:
  locale_t m_previous;
};

std::uint64_t octal(const char* field, std::size_t length) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < length && field[i] >= '0' && field[i] <= '7'; ++i) {
    value = value * 8 + static_cast<std::uint64_t>(field[i] - '0');
  }
  return value;
}

// The data bytes of a sparse entry's map, checked: segments in order, not overlapping,
// within the file's size.
util::Result<std::uint64_t> sparse_data_bytes(::archive_entry* e, std::uint64_t size) {
  std::uint64_t data = 0;
  std::uint64_t end = 0;
  la_int64_t offset = 0;
  la_int64_t length = 0;
  while (archive_entry_sparse_next(e, &offset, &length) == ARCHIVE_OK) {
    if (offset < 0 || length < 0 || static_cast<std::uint64_t>(offset) < end ||
        static_cast<std::uint64_t>(length) > size ||
        static_cast<std::uint64_t>(offset) > size - static_cast<std::uint64_t>(length)) {
      return util::fail(util::ErrorKind::corrupt,
                        "the sparse map of the entry is impossible (segments out of order, overlapping or beyond "
                        "the file's size)");
    }
    end = static_cast<std::uint64_t>(offset) + static_cast<std::uint64_t>(length);
    data += static_cast<std::uint64_t>(length);
  }
  return data;
}

std::string entry_type_name(::archive_entry* e) {
  if (archive_entry_hardlink(e) != nullptr) {
    return "hardlink";
  }
  return std::string(type_name_from_mode(archive_entry_mode(e)));
}

}  // namespace

TarReader::TarReader(io::Source& in) : m_in(in), m_buffer(new std::byte[k_buffer_size]) {
  m_utf8_locale = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
}

TarReader::~TarReader() {
  if (m_archive != nullptr) {
    archive_read_free(m_archive);
  }
  if (m_utf8_locale != nullptr) {
    ::freelocale(m_utf8_locale);
  }
}

long TarReader::read_callback(::archive* a, void* self_ptr, const void** buffer) {
  auto* self = static_cast<TarReader*>(self_ptr);
  auto got = self->m_in.read(std::span(self->m_buffer.get(), k_buffer_size));
  if (!got) {
    self->m_source_error = std::move(got).error();
    archive_set_error(a, EIO, "%s", self->m_source_error->message().c_str());
    return -1;
  }
  if (!self->m_prefix_done && *got > 0) {
    const auto take = std::min(*got, k_prefix_limit - self->m_prefix.size());
    self->m_prefix.append(reinterpret_cast<const char*>(self->m_buffer.get()), take);
    self->m_prefix_done = self->m_prefix.size() >= k_prefix_limit;
  }
  self->m_bytes_read += *got;
  *buffer = self->m_buffer.get();
  return static_cast<long>(*got);
}

util::Error TarReader::failure(std::string_view what) {
  if (m_source_error) {
    return *m_source_error;
  }
  const char* message = m_archive != nullptr ? archive_error_string(m_archive) : nullptr;
  return util::Error(util::ErrorKind::corrupt, message != nullptr ? std::string(message) : std::string(what));
}

void TarReader::parse_global_header() {
  m_prefix_done = true;
  if (m_prefix.size() < 512 || m_prefix[156] != 'g') {
    return;
  }
  const std::uint64_t size = octal(m_prefix.data() + 124, 12);
  if (size > m_prefix.size() - 512) {
    return;
  }
  std::string_view records(m_prefix.data() + 512, size);
  // "LEN key=value\n" records.
  while (!records.empty()) {
    const auto space = records.find(' ');
    if (space == std::string_view::npos) {
      break;
    }
    const auto length = std::strtoull(std::string(records.substr(0, space)).c_str(), nullptr, 10);
    if (length <= space + 1 || length > records.size()) {
      break;
    }
    const auto record = records.substr(space + 1, length - space - 2);  // without "\n"
    const auto eq = record.find('=');
    if (eq != std::string_view::npos) {
      m_global[std::string(record.substr(0, eq))] = std::string(record.substr(eq + 1));
    }
    records.remove_prefix(length);
  }
  m_prefix.clear();
  m_prefix.shrink_to_fit();
}

util::Result<std::optional<TarEntry>> TarReader::next() {
  const LocaleGuard locale(m_utf8_locale);
  if (!m_opened) {
    m_opened = true;
    m_archive = archive_read_new();
    if (m_archive == nullptr) {
      return util::fail(util::ErrorKind::permanent, "cannot allocate a tar reader");
    }
    archive_read_support_format_tar(m_archive);
    archive_read_support_format_gnutar(m_archive);
    if (archive_read_open(m_archive, this, nullptr, &TarReader::read_callback, nullptr) != ARCHIVE_OK) {
      return util::fail(failure("cannot read the tar stream"));
    }
  }
  const int r = archive_read_next_header(m_archive, &m_entry);
  if (!m_prefix.empty()) {
    parse_global_header();  // once: it clears the prefix
  }
  if (r == ARCHIVE_EOF) {
    m_entry = nullptr;
    return std::nullopt;
  }
  if (r < ARCHIVE_WARN) {
    m_entry = nullptr;
    return util::fail(failure("damaged tar stream"));
  }
  TarEntry entry;
  const char* path = archive_entry_pathname(m_entry);
  entry.path = path != nullptr ? path : "";
  while (entry.path.size() > 1 && entry.path.back() == '/') {
    entry.path.pop_back();
  }
  entry.type = entry_type_name(m_entry);
  entry.size =
    entry.type == "file" ? static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(m_entry), 0)) : 0;
  entry.stored = entry.size;
  if (entry.type == "file" && archive_entry_sparse_reset(m_entry) > 0) {
    VOLBACK_TRY_ASSIGN(entry.stored, sparse_data_bytes(m_entry, entry.size));
  }
  entry.mode = archive_entry_perm(m_entry) & 07777;
  entry.uid = archive_entry_uid(m_entry);
  entry.gid = archive_entry_gid(m_entry);
  entry.mtime = archive_entry_mtime(m_entry);
  entry.mtime_nsec = static_cast<std::int32_t>(archive_entry_mtime_nsec(m_entry));
  if (const char* hard = archive_entry_hardlink(m_entry)) {
    entry.link = hard;
  } else if (const char* sym = archive_entry_symlink(m_entry)) {
    entry.link = sym;
  }
  return entry;
}

util::Result<std::optional<DataBlock>> TarReader::read_block() {
  const LocaleGuard locale(m_utf8_locale);
  const void* block = nullptr;
  std::size_t length = 0;
  la_int64_t offset = 0;
  const int r = archive_read_data_block(m_archive, &block, &length, &offset);
  if (r == ARCHIVE_EOF) {
    return std::nullopt;
  }
  if (r < ARCHIVE_WARN) {
    return util::fail(failure("damaged tar stream"));
  }
  return DataBlock{static_cast<std::uint64_t>(offset), std::span(static_cast<const std::byte*>(block), length)};
}

}  // namespace volback::archive
