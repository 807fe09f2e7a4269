#pragma once
// Helpers shared by the archive unit tests (never linked into the library): temporary
// directories, shell commands (GNU tar, setfacl, ...), and reading a tar back with
// libarchive.

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <volback/io/sink.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::archive::test {

using volback::testing::read_file;
using volback::testing::TempDir;
using volback::testing::write_file;

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

struct CommandResult {
  int status = -1;     // exit status, or -1 when the command did not exit normally
  std::string output;  // stdout and stderr together
};

inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    result.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string make_dirs(const std::string& path) {
  std::filesystem::create_directories(path);
  return path;
}

// Extracts `archive` into `dir` with GNU tar, restoring owners, xattrs and ACLs.
inline CommandResult gnu_tar_extract(const std::string& archive, const std::string& dir) {
  return run_command("/usr/bin/tar -xf " + shell_quote(archive) +
                     " --same-owner --numeric-owner --xattrs --xattrs-include='*' --acls -C " + shell_quote(dir));
}

// One entry as libarchive's reader sees it.
struct ReadEntry {
  std::string path;
  unsigned filetype = 0;  // AE_IFREG, AE_IFDIR, ...
  std::int64_t size = 0;
  unsigned mode = 0;
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  std::string uname;
  std::string gname;
  std::int64_t mtime = 0;
  long mtime_nsec = 0;
  bool has_atime = false;
  bool has_ctime = false;
  std::string hardlink;
  std::string symlink;
  std::map<std::string, std::string> xattrs;
  std::string acl;  // access ACL text
  // Regular files: the stored data blocks (offset, length); content reassembled with
  // zeros in the holes when size <= k_max_content.
  std::vector<std::pair<std::int64_t, std::size_t>> blocks;
  std::string content;
};

inline constexpr std::int64_t k_max_content = 8 << 20;

struct ReadResult {
  bool ok = false;
  std::string error;
  std::vector<ReadEntry> entries;
};

inline ReadResult read_tar(const std::string& data) {
  ReadResult result;
  ::archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  if (archive_read_open_memory(a, data.data(), data.size()) != ARCHIVE_OK) {
    result.error = archive_error_string(a);
    archive_read_free(a);
    return result;
  }
  for (;;) {
    ::archive_entry* e = nullptr;
    const int r = archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) {
      result.ok = true;
      break;
    }
    if (r < ARCHIVE_WARN) {
      result.error = archive_error_string(a);
      break;
    }
    ReadEntry entry;
    entry.path = archive_entry_pathname(e) != nullptr ? archive_entry_pathname(e) : "";
    entry.filetype = archive_entry_filetype(e);
    entry.size = archive_entry_size(e);
    entry.mode = archive_entry_mode(e);
    entry.uid = archive_entry_uid(e);
    entry.gid = archive_entry_gid(e);
    entry.uname = archive_entry_uname(e) != nullptr ? archive_entry_uname(e) : "";
    entry.gname = archive_entry_gname(e) != nullptr ? archive_entry_gname(e) : "";
    entry.mtime = archive_entry_mtime(e);
    entry.mtime_nsec = archive_entry_mtime_nsec(e);
    entry.has_atime = archive_entry_atime_is_set(e) != 0;
    entry.has_ctime = archive_entry_ctime_is_set(e) != 0;
    entry.hardlink = archive_entry_hardlink(e) != nullptr ? archive_entry_hardlink(e) : "";
    entry.symlink = archive_entry_symlink(e) != nullptr ? archive_entry_symlink(e) : "";
    const int xattr_count = archive_entry_xattr_reset(e);
    for (int i = 0; i < xattr_count; ++i) {
      const char* name = nullptr;
      const void* value = nullptr;
      std::size_t size = 0;
      archive_entry_xattr_next(e, &name, &value, &size);
      entry.xattrs[name] = std::string(static_cast<const char*>(value), size);
    }
    char* acl = archive_entry_acl_to_text(e, nullptr, ARCHIVE_ENTRY_ACL_TYPE_ACCESS);
    if (acl != nullptr) {
      entry.acl = acl;
      std::free(acl);
    }
    if (entry.filetype == AE_IFREG) {
      const bool keep = entry.size <= k_max_content;
      if (keep) {
        entry.content.assign(static_cast<std::size_t>(entry.size), '\0');
      }
      const void* block = nullptr;
      std::size_t length = 0;
      la_int64_t offset = 0;
      int rr = ARCHIVE_OK;
      while ((rr = archive_read_data_block(a, &block, &length, &offset)) == ARCHIVE_OK) {
        if (length > 0) {
          entry.blocks.emplace_back(offset, length);
        }
        if (keep && length > 0 && offset + static_cast<std::int64_t>(length) <= entry.size) {
          entry.content.replace(static_cast<std::size_t>(offset), length, static_cast<const char*>(block), length);
        }
      }
      if (rr != ARCHIVE_EOF) {
        result.error = archive_error_string(a);
        break;
      }
    }
    result.entries.push_back(std::move(entry));
  }
  archive_read_free(a);
  return result;
}

inline const ReadEntry* find_entry(const ReadResult& result, const std::string& path) {
  for (const auto& e : result.entries) {
    if (e.path == path) {
      return &e;
    }
  }
  return nullptr;
}

// A sink that fails with `kind` once more than `limit` bytes were written.
class FailingSink final : public io::Sink {
 public:
  FailingSink(std::size_t limit, util::ErrorKind kind) : m_limit(limit), m_kind(kind) {}
  util::Result<void> write(std::span<const std::byte> data) override {
    if (m_written + data.size() > m_limit) {
      return util::fail(m_kind, "disk on fire");
    }
    m_written += data.size();
    return {};
  }
  util::Result<void> finish() override { return {}; }

 private:
  std::size_t m_limit;
  util::ErrorKind m_kind;
  std::size_t m_written = 0;
};

}  // namespace volback::archive::test
