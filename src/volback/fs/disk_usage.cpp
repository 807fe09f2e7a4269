#include <volback/fs/disk_usage.hpp>

#include <ftw.h>
#include <sys/stat.h>

#include <cerrno>

#include <fmt/format.h>

namespace volback::fs {

namespace {

constexpr std::uint64_t k_header_allowance = 1024;
constexpr int k_max_open_dirs = 32;

// nftw's callback cannot capture state; one walk at a time per thread is enough here.
thread_local std::uint64_t t_total = 0;

int add_entry(const char*, const struct stat* st, int type, struct FTW*) {
  if (type != FTW_NS) {
    t_total += static_cast<std::uint64_t>(st->st_blocks) * 512 + k_header_allowance;
  }
  return 0;
}

}  // namespace

util::Result<std::uint64_t> disk_usage(const std::string& root) {
  t_total = 0;
  if (::nftw(root.c_str(), add_entry, k_max_open_dirs, FTW_PHYS) != 0) {
    return util::fail(util::errno_error(errno, fmt::format("measuring {}", root)));
  }
  return t_total;
}

}  // namespace volback::fs
