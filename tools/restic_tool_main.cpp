// volback-restic-tool: volback's restic repository writer on a local directory, for the
// interoperability tests (tests/integration/restic) that check what it writes with the
// restic binary, and what restic writes with volback. Not part of volback itself.
//
//   volback-restic-tool init REPO                       creates a repository
//   volback-restic-tool backup REPO HOST PATH...        writes a snapshot of the PATHs
//   volback-restic-tool check REPO [--read-data|--read-data-subset N%]
//                                                       checks the repository as restic check
//   volback-restic-tool cat REPO SNAPSHOT|latest        lists a snapshot: per entry its type,
//                                                       the content's SHA-256 (files; else -)
//                                                       and its path
//   volback-restic-tool lock REPO [--exclusive] [--wait SECONDS]
//                                                       holds a lock until stdin closes
//   volback-restic-tool forget REPO SNAPSHOT-ID...      removes snapshots (full ids)
//   volback-restic-tool prune REPO [--dry-run]          removes what no snapshot uses
//
// The password comes from RESTIC_PASSWORD. Prints one line of figures per backup and per
// check (problems and warnings before it, one a line). backup holds a non-exclusive lock
// while it writes and fails at once when the repository is locked exclusively. lock prints
// `locked <lock id>` once it holds the lock, then releases it when stdin reaches its end.
// forget and prune hold an exclusive lock (failing at once when the repository is locked);
// prune prints its figures as key=value on one line.
// SIGHUP is ignored (`restic unlock` sends it to check that a lock's process lives).
// Exit status: 0 ok, 1 failure or problems found (message on stderr), 2 usage.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <volback/crypto/primitives.hpp>
#include <volback/restic/archiver.hpp>
#include <volback/restic/prune.hpp>
#include <volback/restic/repository.hpp>
#include <volback/restic/repository_check.hpp>
#include <volback/restic/repository_lock.hpp>
#include <volback/restic/snapshot_lookup.hpp>
#include <volback/restic/snapshot_reader.hpp>
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

constexpr const char* k_usage =
  "usage: RESTIC_PASSWORD=... volback-restic-tool init REPO\n"
  "       volback-restic-tool backup REPO HOST PATH...\n"
  "       volback-restic-tool check REPO [--read-data|--read-data-subset N%]\n"
  "       volback-restic-tool cat REPO SNAPSHOT|latest\n"
  "       volback-restic-tool lock REPO [--exclusive] [--wait SECONDS]\n"
  "       volback-restic-tool forget REPO SNAPSHOT-ID...\n"
  "       volback-restic-tool prune REPO [--dry-run]\n";

int usage() {
  std::fputs(k_usage, stderr);
  return 2;
}

void print_figures(std::string line, std::initializer_list<std::pair<const char*, std::uint64_t>> figures) {
  for (const auto& [name, value] : figures) {
    line += std::string(" ") + name + "=" + std::to_string(value);
  }
  std::printf("%s\n", line.c_str());
}

int run_init(volback::storage::Backend& backend, const char* password) {
  auto repository = restic::Repository::init(
    backend, password,
    {.created = restic::format_rfc3339_nano(now()), .username = "root", .hostname = "volback-restic-tool"});
  return repository ? 0 : failed(repository.error());
}

int run_backup(restic::Repository& repository, int argc, char** argv) {
  if (argc < 5) {
    return usage();
  }
  util::CancelToken cancel;
  auto lock = restic::RepositoryLock::acquire(repository, {.exclusive = false}, cancel);
  if (!lock) {
    return failed(lock.error());
  }
  auto index = restic::load_index(repository);
  if (!index) {
    return failed(index.error());
  }
  restic::SnapshotRequest request{.hostname = argv[3], .username = "root", .time = now()};
  for (int i = 4; i < argc; ++i) {
    request.paths.emplace_back(argv[i]);
  }
  const auto result = restic::write_snapshot(repository, *index, request, cancel);
  if (!result) {
    return failed(result.error());
  }
  if (auto released = lock->release(); !released) {
    return failed(released.error());
  }
  print_figures("snapshot " + result->snapshot.hex(), {
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
                                                        {"packs_reused", result->blobs.packs_reused},
                                                      });
  return 0;
}

int run_check(restic::Repository& repository, int argc, char** argv) {
  restic::CheckOptions options;
  if (argc == 4 && std::strcmp(argv[3], "--read-data") == 0) {
    options.read_data = true;
  } else if (argc == 5 && std::strcmp(argv[3], "--read-data-subset") == 0) {
    char* end = nullptr;
    const double percent = std::strtod(argv[4], &end);
    if (end == argv[4] || std::strcmp(end, "%") != 0 || !(percent > 0 && percent <= 100)) {
      return usage();
    }
    options = {.read_data = true, .subset_fraction = percent / 100};
  } else if (argc != 3) {
    return usage();
  }
  util::CancelToken cancel;
  const auto report = restic::check_repository(repository, options, cancel);
  if (!report) {
    return failed(report.error());
  }
  for (const auto& warning : report->warnings) {
    std::printf("warning: %s\n", warning.c_str());
  }
  for (const auto& problem : report->problems) {
    std::printf("error: %s\n", problem.c_str());
  }
  print_figures(report->ok() ? "check ok" : "check failed", {
                                                              {"problems", report->problems.size()},
                                                              {"problems_omitted", report->problems_omitted},
                                                              {"warnings", report->warnings.size()},
                                                              {"index_files", report->index_files},
                                                              {"packs", report->packs},
                                                              {"blobs", report->blobs},
                                                              {"snapshots", report->snapshots},
                                                              {"trees", report->trees},
                                                              {"packs_read", report->packs_read},
                                                            });
  return report->ok() ? 0 : 1;
}

int run_cat(restic::Repository& repository, int argc, char** argv) {
  if (argc != 4) {
    return usage();
  }
  auto snapshots = restic::load_snapshots(repository);
  if (!snapshots) {
    return failed(snapshots.error());
  }
  const auto snapshot = restic::find_snapshot(*snapshots, argv[3]);
  if (!snapshot) {
    return failed(snapshot.error());
  }
  auto index = restic::load_index(repository);
  if (!index) {
    return failed(index.error());
  }
  util::CancelToken cancel;
  restic::SnapshotReader reader(repository, *index, snapshot->snapshot.tree, cancel);
  for (;;) {
    auto entry = reader.next();
    if (!entry) {
      return failed(entry.error());
    }
    if (!*entry) {
      return 0;
    }
    std::string hash = "-";
    if ((*entry)->node.type == restic::NodeType::file) {
      volback::crypto::Digest sha(volback::crypto::Hash::sha256);
      for (;;) {
        auto blob = reader.next_content();
        if (!blob) {
          return failed(blob.error());
        }
        if (!*blob) {
          break;
        }
        sha.update(**blob);
      }
      restic::Id digest;
      const std::string bytes = sha.final();
      std::copy(bytes.begin(), bytes.end(), digest.bytes.begin());
      hash = digest.hex();
    }
    std::printf("%s %s %s\n", std::string(restic::to_string((*entry)->node.type)).c_str(), hash.c_str(),
                (*entry)->path.c_str());
  }
}

int run_lock(restic::Repository& repository, int argc, char** argv) {
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
      return usage();
    }
  }
  util::CancelToken cancel;
  auto lock = restic::RepositoryLock::acquire(repository, options, cancel);
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

int run_forget(restic::Repository& repository, int argc, char** argv) {
  if (argc < 4) {
    return usage();
  }
  std::vector<restic::Id> snapshots;
  for (int i = 3; i < argc; ++i) {
    auto id = restic::Id::parse(argv[i]);
    if (!id) {
      std::fprintf(stderr, "volback-restic-tool: not a snapshot id: %s\n", argv[i]);
      return 2;
    }
    snapshots.push_back(*id);
  }
  util::CancelToken cancel;
  auto lock = restic::RepositoryLock::acquire(repository, {.exclusive = true}, cancel);
  if (!lock) {
    return failed(lock.error());
  }
  if (auto forgotten = restic::forget_snapshots(repository, snapshots); !forgotten) {
    return failed(forgotten.error());
  }
  auto released = lock->release();
  return released ? 0 : failed(released.error());
}

int run_prune(restic::Repository& repository, int argc, char** argv) {
  restic::PruneOptions options;
  for (int i = 3; i < argc; ++i) {
    if (std::string(argv[i]) != "--dry-run") {
      return usage();
    }
    options.dry_run = true;
  }
  util::CancelToken cancel;
  auto lock = restic::RepositoryLock::acquire(repository, {.exclusive = true}, cancel);
  if (!lock) {
    return failed(lock.error());
  }
  const auto stats = restic::prune_repository(repository, options, cancel);
  if (!stats) {
    return failed(stats.error());
  }
  if (auto released = lock->release(); !released) {
    return failed(released.error());
  }
  print_figures(options.dry_run ? "prune dry-run" : "prune", {
                                                               {"packs_kept", stats->packs_kept},
                                                               {"packs_deleted", stats->packs_deleted},
                                                               {"packs_unindexed", stats->packs_unindexed},
                                                               {"packs_repacked", stats->packs_repacked},
                                                               {"packs_written", stats->packs_written},
                                                               {"blobs_used", stats->blobs_used},
                                                               {"blobs_repacked", stats->blobs_repacked},
                                                               {"blobs_removed", stats->blobs_removed},
                                                               {"bytes_before", stats->bytes_before},
                                                               {"bytes_after", stats->bytes_after},
                                                               {"index_files_written", stats->index_files_written},
                                                               {"index_files_removed", stats->index_files_removed},
                                                             });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* password = std::getenv("RESTIC_PASSWORD");
  if (argc < 3 || password == nullptr) {
    return usage();
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
  using Run = int (*)(restic::Repository&, int, char**);
  const std::pair<const char*, Run> commands[] = {{"backup", run_backup}, {"check", run_check},   {"cat", run_cat},
                                                  {"lock", run_lock},     {"forget", run_forget}, {"prune", run_prune}};
  for (const auto& [name, run] : commands) {
    if (command == name) {
      auto repository = restic::Repository::open(*backend, password);
      return repository ? run(*repository, argc, argv) : failed(repository.error());
    }
  }
  return usage();
}
