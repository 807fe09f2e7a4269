#pragma once
// Copies of the archive to the remote backends while it is written to local disk: one
// thread per backend reads the growing file (growing_file_source.hpp) into the backend's
// upload. The writer goes on at disk speed; each upload goes at its own pace.
//
// Use: start(path) once the file exists, write it, seal() when it is complete, then wait().
// Destroying without seal() (the writer failed) fails the readers, so every upload aborts,
// and joins the threads.

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <volback/app/backup/growing_file_source.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

class TailingCopies {
 public:
  // `targets` and `cancel` must outlive this object.
  TailingCopies(std::vector<storage::Backend*> targets, std::string name, storage::PutOptions options,
                const util::CancelToken& cancel);
  ~TailingCopies();
  TailingCopies(const TailingCopies&) = delete;
  TailingCopies& operator=(const TailingCopies&) = delete;

  // Starts one copy per target, reading `path` from its start. Call at most once.
  void start(const std::string& path);
  bool started() const { return m_started; }

  // The file is complete: the copies read to its end and finish their uploads.
  void seal();

  // Joins the copies; the result of the copy to `backend` (nullopt: stored), or nullopt
  // for a backend that was no target. REQUIRES: started(), seal().
  std::optional<util::Error> result_for(const storage::Backend* backend);

 private:
  void join();

  std::vector<storage::Backend*> m_targets;
  std::string m_name;
  storage::PutOptions m_options;
  const util::CancelToken& m_cancel;
  GrowthState m_state;
  bool m_started = false;
  std::vector<std::optional<util::Error>> m_results;
  std::vector<std::thread> m_threads;
};

}  // namespace volback::app
