#include <volback/app/run/restore_record.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/fs/atomic_file.hpp>
#include <volback/fs/directory.hpp>

namespace volback::app {
namespace {

using nlohmann::json;

constexpr std::string_view k_lock_suffix = ".lock";
constexpr std::string_view k_record_suffix = ".json";
// Records are small; a larger file is not one of ours.
constexpr std::size_t k_max_record = 1 << 20;

std::string records_dir(const std::string& state_dir) {
  return state_dir + "/restores";
}

// Ids are what fs::random_suffix makes: letters and digits.
bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

util::Result<std::vector<RecordedTarget>> parse_record(const std::string& text) {
  const json doc = json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("targets") || !doc.at("targets").is_array()) {
    return util::fail(util::ErrorKind::corrupt, "not a restore record");
  }
  std::vector<RecordedTarget> targets;
  for (const auto& t : doc.at("targets")) {
    if (!t.is_object() || !t.contains("path") || !t.at("path").is_string()) {
      return util::fail(util::ErrorKind::corrupt, "a target without a path");
    }
    RecordedTarget target;
    target.path = t.at("path").get<std::string>();
    target.device = t.value("device", std::uint64_t{0});
    target.inode = t.value("inode", std::uint64_t{0});
    target.staging_inode = t.value("staging_inode", std::uint64_t{0});
    target.old_inode = t.value("old_inode", std::uint64_t{0});
    if (!target.path.starts_with('/')) {
      return util::fail(util::ErrorKind::corrupt, "a target path that is not absolute");
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

util::Result<std::string> read_small_file(const std::string& path) {
  fs::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, "cannot open " + path));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) > k_max_record) {
    return util::fail(util::ErrorKind::corrupt, path + " is not a restore record");
  }
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n <= 0) {
      return util::fail(util::errno_error(n < 0 ? errno : EIO, "cannot read " + path));
    }
    done += static_cast<std::size_t>(n);
  }
  return text;
}

}  // namespace

std::string staging_name(const std::string& id) {
  return std::string(k_staging_prefix) + id;
}
std::string old_name(const std::string& id) {
  return std::string(k_old_prefix) + id;
}

util::Result<RestoreRecord> RestoreRecord::create(const std::string& state_dir, const std::string& id) {
  const std::string dir = records_dir(state_dir);
  const auto unwritable = [&](int err) {
    return util::fail(util::errno_error(
      err, fmt::format("cannot keep the restore's record in {} (set VOLBACK_STATE_DIR to a writable directory)", dir)));
  };
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return unwritable(ec.value());
  }
  ::chmod(dir.c_str(), 0700);
  const std::string lock_path = dir + "/" + id + std::string(k_lock_suffix);
  fs::UniqueFd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!lock.valid() || ::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    return unwritable(errno);
  }
  RestoreRecord record(dir, id, std::move(lock));
  VOLBACK_TRY(record.save({}));
  return record;
}

util::Result<void> RestoreRecord::save(const std::vector<RecordedTarget>& targets) {
  json doc = {{"version", 1}, {"id", m_id}, {"targets", json::array()}};
  for (const auto& t : targets) {
    doc["targets"].push_back({{"path", t.path},
                              {"device", t.device},
                              {"inode", t.inode},
                              {"staging_inode", t.staging_inode},
                              {"old_inode", t.old_inode}});
  }
  return fs::write_file_atomically(m_dir + "/" + m_id + std::string(k_record_suffix), doc.dump(1) + "\n");
}

void RestoreRecord::remove() {
  ::unlink((m_dir + "/" + m_id + std::string(k_record_suffix)).c_str());
  ::unlink((m_dir + "/" + m_id + std::string(k_lock_suffix)).c_str());
  m_lock.reset();
}

util::Result<std::vector<LeftRecord>> left_records(const std::string& state_dir, std::vector<std::string>& unreadable) {
  const std::string dir = records_dir(state_dir);
  auto names = fs::list_directory(dir);
  if (!names) {
    if (names.error().kind() == util::ErrorKind::not_found) {
      return std::vector<LeftRecord>{};
    }
    return util::fail(names.error());
  }
  std::vector<LeftRecord> left;
  for (const auto& name : *names) {
    if (!name.ends_with(k_lock_suffix)) {
      continue;
    }
    const std::string id = name.substr(0, name.size() - k_lock_suffix.size());
    if (!valid_id(id)) {
      continue;
    }
    fs::UniqueFd lock(::open((dir + "/" + name).c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC));
    if (!lock.valid() || ::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
      continue;  // still running, or not ours to take
    }
    RestoreRecord record(dir, id, std::move(lock));
    auto text = read_small_file(dir + "/" + id + std::string(k_record_suffix));
    if (!text && text.error().kind() == util::ErrorKind::not_found) {
      record.remove();  // died before its first record was written: it made nothing
      continue;
    }
    auto targets = text ? parse_record(*text) : util::Result<std::vector<RecordedTarget>>(util::fail(text.error()));
    if (!targets) {
      unreadable.push_back(fmt::format("{}/{}{}: {}", dir, id, k_record_suffix, targets.error().message()));
      continue;
    }
    left.push_back(LeftRecord{std::move(record), std::move(*targets)});
  }
  return left;
}

}  // namespace volback::app
