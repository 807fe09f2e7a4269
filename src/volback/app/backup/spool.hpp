#pragma once
// The spool: the one temporary copy of an archive, made only when containers are
// stopped and no backend keeps the archive on local disk. It is an explicit step
// with its free space checked first, and the file is removed when the Spool goes.

#include <cstdint>
#include <memory>
#include <string>

#include <volback/fs/file_sink.hpp>
#include <volback/io/source.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

class Spool {
 public:
  // Checks that `directory` has at least `required_bytes` free (permanent error
  // naming both figures otherwise), then creates `.volback-spool-<random>` in it.
  static util::Result<std::unique_ptr<Spool>> create(const std::string& directory, std::uint64_t required_bytes);
  ~Spool();  // removes the file
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Where the archive is written; finish() it to seal the spool.
  io::Sink& sink() { return *m_sink; }

  // Reads the sealed spool from its start. REQUIRES: sink().finish() succeeded.
  util::Result<std::unique_ptr<io::Source>> open() const;

  const std::string& path() const { return m_path; }

 private:
  Spool(std::unique_ptr<fs::FileSink> sink, std::string path) : m_sink(std::move(sink)), m_path(std::move(path)) {}

  std::unique_ptr<fs::FileSink> m_sink;
  std::string m_path;
};

}  // namespace volback::app
