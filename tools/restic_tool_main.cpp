// volback-restic-tool: volback's restic repository writer on a local directory, for the
// interoperability tests (tests/integration/restic) that check what it writes with the
// restic binary, and what restic writes with volback. Not part of volback itself.
//
//   volback-restic-tool init REPO                       creates a repository
//   volback-restic-tool backup REPO HOST PATH...        writes a snapshot of the PATHs
//
// The password comes from RESTIC_PASSWORD. Prints one line of figures per backup.
// Exit status: 0 ok, 1 failure (message on stderr), 2 usage.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <volback/restic/archiver.hpp>
#include <volback/restic/repository.hpp>
#include <volback/storage/local/local_backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>

namespace {

namespace restic = volback::restic;
namespace util = volback::util;

int failed(const util::Error& error) {
  std::fprintf(stderr, "volback-restic-tool: %s\n", error.message().c_str());
  return 1;
}

restic::GoTime now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
  return {.unix_seconds = ns / 1'000'000'000, .nanoseconds = static_cast<std::uint32_t>(ns % 1'000'000'000)};
}

}  // namespace

int main(int argc, char** argv) {
  const char* password = std::getenv("RESTIC_PASSWORD");
  if (argc < 3 || password == nullptr) {
    std::fprintf(stderr, "usage: RESTIC_PASSWORD=... volback-restic-tool init|backup REPO [HOST PATH...]\n");
    return 2;
  }
  const std::string command = argv[1];
  util::CapturingLogger log;
  if (command == "init") {
    std::error_code ignored;
    std::filesystem::create_directories(argv[2], ignored);
  }
  auto backend = volback::storage::local::make_local_backend({argv[2], std::nullopt}, log);
  if (command == "init") {
    auto repository = restic::Repository::init(
      *backend, password,
      {.created = restic::format_rfc3339_nano(now()), .username = "root", .hostname = "volback-restic-tool"});
    return repository ? 0 : failed(repository.error());
  }
  if (command != "backup" || argc < 5) {
    std::fprintf(stderr, "usage: volback-restic-tool backup REPO HOST PATH...\n");
    return 2;
  }
  auto repository = restic::Repository::open(*backend, password);
  if (!repository) {
    return failed(repository.error());
  }
  auto index = restic::load_index(*repository);
  if (!index) {
    return failed(index.error());
  }
  restic::SnapshotRequest request{.hostname = argv[3], .username = "root", .time = now()};
  for (int i = 4; i < argc; ++i) {
    request.paths.emplace_back(argv[i]);
  }
  util::CancelToken cancel;
  const auto result = restic::write_snapshot(*repository, *index, request, cancel);
  if (!result) {
    return failed(result.error());
  }
  const std::pair<const char*, std::uint64_t> figures[] = {
    {"files", result->files},
    {"files_unchanged", result->files_unchanged},
    {"dirs", result->dirs},
    {"bytes_read", result->bytes_read},
    {"blobs_new", result->blobs.blobs_new},
    {"data_blobs_new", result->blobs.data_blobs_new},
    {"blobs_known", result->blobs.blobs_known},
    {"bytes_new", result->blobs.bytes_new},
    {"bytes_stored", result->blobs.bytes_stored},
    {"packs", result->blobs.packs},
  };
  std::string line = "snapshot " + result->snapshot.hex();
  for (const auto& [name, value] : figures) {
    line += std::string(" ") + name + "=" + std::to_string(value);
  }
  std::printf("%s\n", line.c_str());
  return 0;
}
