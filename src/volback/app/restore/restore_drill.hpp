#pragma once
// The restore drill (`volback drill`): proof that a backup restores and that the
// application starts on it.
//
//   1. The backup is streamed from its backend into a scratch directory,
//      `<VOLBACK_DRILL_DIR>/.volback-drill-<id>`, after checking that the directory has
//      at least the backup's stored size free. Scratch directories that a killed drill
//      left behind are removed first.
//   2. The restore is the real one (restore_backup.hpp): every entry's name checked,
//      every file compared with the manifest; a difference fails the drill, naming it.
//   3. The application checks (run/drill_checks.hpp) run on the restored volumes.
//   4. The scratch directory is removed on every path, failures included.
// The live volumes and containers are never touched.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <volback/app/restore/restore_backup.hpp>
#include <volback/app/run/drill_checks.hpp>
#include <volback/crypto/decryption_keys.hpp>
#include <volback/io/source.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct DrillOptions {
  std::string id;                  // names the scratch directory and the twins
  std::string drill_dir;           // VOLBACK_DRILL_DIR
  std::string state_dir;           // the restore's record (VOLBACK_STATE_DIR)
  std::string spill_dir;           // temporary files of the manifest check
  std::uint64_t stored_bytes = 0;  // the backup's size on the backend: the free space needed at least
  const crypto::DecryptionKeys* keys = nullptr;
  // Verify::no for a stream without a manifest whose content is checked otherwise (a
  // repository snapshot: every blob against its id).
  Verify verify = Verify::yes;
};

struct DrillOutcome {
  RestoreSummary restored;
  std::vector<AppCheckResult> checks;
  bool passed = false;
  std::string failure;  // what failed, for people; empty when passed
};

// Runs the drill on the archive stream `raw`, with the application checks of `checks`
// (already prepared). A damaged backup or a failed check is an outcome (passed false,
// `failure` naming the file or the container), not an error. Errors: the scratch
// directory cannot be made (not enough space included: permanent, with both figures),
// cancelled.
util::Result<DrillOutcome> run_restore_drill(io::Source& raw, DrillChecks& checks, const DrillOptions& options,
                                             util::Logger& log, const util::CancelToken& cancel);

}  // namespace volback::app
