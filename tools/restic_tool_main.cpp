// volback-restic-tool: volback's restic repository writer on a local directory, for the
// interoperability tests (tests/integration/restic) that check what it writes with the
// restic binary, and what restic writes with volback. Not part of volback itself.
//
//   volback-restic-tool init REPO                       creates a repository
//   volback-restic-tool backup REPO HOST PATH...        writes a snapshot of the PATHs
//   volback-restic-tool lock REPO [--exclusive] [--wait SECONDS]
//                                                       holds a lock until stdin closes
//
// The password comes from RESTIC_PASSWORD. Prints one line of figures per backup. backup
// holds a non-exclusive lock while it writes and fails at once when the repository is
// locked exclusively. lock prints `locked <lock id>` once it holds the lock, then releases
// it when stdin reaches its end. SIGHUP is ignored (`restic unlock` sends it to check that a
// lock's process lives).
// Exit status: 0 ok, 1 failure (message on stderr), 2 usage.

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <volback/restic/archiver.hpp>
#include <volback/restic/repository.hpp>
#include <volback/restic/repository_lock.hpp>
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

int run_init(volback::storage::Backend& backend, const char* password) {
  auto repository = restic::Repository::init(
    backend, password,
    {.created = restic::format_rfc3339_nano(now()), .username = "root", .hostname = "volback-restic-tool"});
  return repository ? 0 : failed(repository.error());
}

int run_backup(volback::storage::Backend& backend, const char* password, int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: volback-restic-tool backup REPO HOST PATH...\n");
    return 2;
  }
  auto repository = restic::Repository::open(backend, password);
  if (!repository) {
    return failed(repository.error());
  }
  util::CancelToken cancel;
  auto lock = restic::RepositoryLock::acquire(*repository, {.exclusive = false}, cancel);
  if (!lock) {
    return failed(lock.error());
  }
  auto index = restic::load_index(*repository);
  if (!index) {
    return failed(index.error());
  }
  restic::SnapshotRequest request{.hostname = argv[3], .username = "root", .time = now()};
  for (int i = 4; i < argc; ++i) {
    request.paths.emplace_back(argv[i]);
  }
  const auto result = restic::write_snapshot(*repository, *index, request, cancel);
  if (!result) {
    return failed(result.error());
  }
  if (auto released = lock->release(); !released) {
    return failed(released.error());
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

int run_lock(volback::storage::Backend& backend, const char* password, int argc, char** argv) {
  restic::LockOptions options;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--exclusive") {
      options.exclusive = true;
    } else if (arg == "--wait" && i + 1 < argc) {
      char* end = nullptr;
      const double seconds = std::strtod(argv[++i], &end);
      if (*end != '\0' || !(seconds >= 0 && seconds < 1e6)) {
        std::fprintf(stderr, "volback-restic-tool: --wait takes seconds, not %s\n", argv[i]);
        return 2;
      }
      options.wait = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
    } else {
      std::fprintf(stderr, "usage: volback-restic-tool lock REPO [--exclusive] [--wait SECONDS]\n");
      return 2;
    }
  }
  auto repository = restic::Repository::open(backend, password);
  if (!repository) {
    return failed(repository.error());
  }
  util::CancelToken cancel;
  auto lock = restic::RepositoryLock::acquire(*repository, options, cancel);
  if (!lock) {
    return failed(lock.error());
  }
  std::printf("locked %s\n", lock->id().hex().c_str());
  std::fflush(stdout);
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EINTR)) {
      break;
    }
  }
  auto released = lock->release();
  return released ? 0 : failed(released.error());
}

}  // namespace

int main(int argc, char** argv) {
  const char* password = std::getenv("RESTIC_PASSWORD");
  if (argc < 3 || password == nullptr) {
    std::fprintf(stderr, "usage: RESTIC_PASSWORD=... volback-restic-tool init|backup|lock REPO [ARGS...]\n");
    return 2;
  }
  ::signal(SIGHUP, SIG_IGN);
  const std::string command = argv[1];
  util::CapturingLogger log;
  if (command == "init") {
    std::error_code ignored;
    std::filesystem::create_directories(argv[2], ignored);
  }
  auto backend = volback::storage::local::make_local_backend({argv[2], std::nullopt}, log);
  if (command == "init") {
    return run_init(*backend, password);
  }
  if (command == "backup") {
    return run_backup(*backend, password, argc, argv);
  }
  if (command == "lock") {
    return run_lock(*backend, password, argc, argv);
  }
  std::fprintf(stderr, "usage: volback-restic-tool init|backup|lock REPO [ARGS...]\n");
  return 2;
}
