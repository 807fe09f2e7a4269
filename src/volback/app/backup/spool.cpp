#include <volback/app/backup/spool.hpp>

#include <unistd.h>

#include <fmt/format.h>

#include <volback/fs/file_source.hpp>
#include <volback/fs/free_space.hpp>
#include <volback/fs/random_name.hpp>

namespace volback::app {

util::Result<std::unique_ptr<Spool>> Spool::create(const std::string& directory, std::uint64_t required_bytes) {
  VOLBACK_TRY_ASSIGN(const std::uint64_t available, fs::free_space(directory));
  if (available < required_bytes) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("the spool directory {} has {} bytes free, but the archive may need up to {} "
                                  "(set VOLBACK_SPOOL_DIR to a larger place, or mount a local backend)",
                                  directory, available, required_bytes));
  }
  const std::string path = fmt::format("{}/.volback-spool-{}", directory, fs::random_suffix());
  VOLBACK_TRY_ASSIGN(auto sink, fs::FileSink::create(path, 0600));
  return std::unique_ptr<Spool>(new Spool(std::move(sink), path));
}

Spool::~Spool() {
  m_sink.reset();  // an unfinished sink removes its own file
  ::unlink(m_path.c_str());
}

util::Result<std::unique_ptr<io::Source>> Spool::open() const {
  VOLBACK_TRY_ASSIGN(auto source, fs::FileSource::open(m_path));
  return std::unique_ptr<io::Source>(std::move(source));
}

}  // namespace volback::app
