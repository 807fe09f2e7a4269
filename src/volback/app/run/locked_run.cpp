#include <volback/app/run/locked_run.hpp>

#include <volback/app/run/restore_recovery.hpp>
#include <volback/app/run/run_lock.hpp>

namespace volback::app {

util::Result<void> run_locked(const RunSettings& run, Quiescer& quiescer, util::Logger& log,
                              const util::CancelToken& cancel, const std::function<util::Result<void>()>& body) {
  VOLBACK_TRY_ASSIGN(const RunLock lock, RunLock::acquire(run.lock_file, run.lock_timeout, log, cancel));
  recover_interrupted_restores(run.state_dir, log);
  VOLBACK_TRY(quiescer.recover());
  return body();
}

}  // namespace volback::app
