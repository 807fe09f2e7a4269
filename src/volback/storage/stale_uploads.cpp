#include <volback/storage/stale_uploads.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <volback/util/settings.hpp>

namespace volback::storage {

namespace {

util::Result<void> make_dirs(const std::string& dir) {
  std::string partial;
  for (std::size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || (dir[i] == '/' && i > 0)) {
      partial = dir.substr(0, i);
      if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
        return util::fail(util::errno_error(errno, "mkdir " + partial));
      }
    }
  }
  return {};
}

util::Result<void> write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return util::fail(util::errno_error(errno, "write " + path));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

std::vector<StaleUpload> parse_stale_uploads(std::string_view text) {
  std::vector<StaleUpload> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const auto t1 = line.find('\t');
    const auto t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos || t2 + 1 >= line.size()) {
      continue;
    }
    out.push_back({std::string(line.substr(0, t1)), std::string(line.substr(t1 + 1, t2 - t1 - 1)),
                   std::string(line.substr(t2 + 1))});
  }
  return out;
}

std::string format_stale_uploads(const std::vector<StaleUpload>& uploads) {
  std::string out;
  for (const auto& u : uploads) {
    out += u.container + "\t" + u.key + "\t" + u.upload_id + "\n";
  }
  return out;
}

StaleUploadJournal::StaleUploadJournal(std::string state_dir, std::string file_name)
  : m_state_dir(std::move(state_dir)), m_file_name(std::move(file_name)) {}

std::string StaleUploadJournal::path() const {
  return m_state_dir + "/" + m_file_name;
}

util::Result<void> StaleUploadJournal::record(const StaleUpload& upload) const {
  if (m_state_dir.empty()) {
    return {};
  }
  VOLBACK_TRY(make_dirs(m_state_dir));
  const std::string p = path();
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return util::fail(util::errno_error(errno, "open " + p));
  }
  auto written = write_all(fd, format_stale_uploads({upload}), p);
  ::fsync(fd);
  ::close(fd);
  return written;
}

util::Result<std::vector<StaleUpload>> StaleUploadJournal::load() const {
  if (m_state_dir.empty()) {
    return std::vector<StaleUpload>();
  }
  auto text = util::read_whole_file(path());
  if (!text) {
    if (::access(path().c_str(), F_OK) != 0 && errno == ENOENT) {
      return std::vector<StaleUpload>();
    }
    return util::fail(text.error());
  }
  return parse_stale_uploads(*text);
}

util::Result<void> StaleUploadJournal::store(const std::vector<StaleUpload>& uploads) const {
  if (m_state_dir.empty()) {
    return {};
  }
  const std::string p = path();
  if (uploads.empty()) {
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
      return util::fail(util::errno_error(errno, "unlink " + p));
    }
    return {};
  }
  VOLBACK_TRY(make_dirs(m_state_dir));
  const std::string tmp = p + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return util::fail(util::errno_error(errno, "open " + tmp));
  }
  auto written = write_all(fd, format_stale_uploads(uploads), tmp);
  ::fsync(fd);
  ::close(fd);
  VOLBACK_TRY(written);
  if (::rename(tmp.c_str(), p.c_str()) != 0) {
    return util::fail(util::errno_error(errno, "rename " + tmp));
  }
  return {};
}

}  // namespace volback::storage
