#pragma once
// SIGINT and SIGTERM cancel the current run cleanly: the handler only requests the
// CancelToken, and every long loop stops at its next check. SIGHUP is ignored meanwhile
// (restic's `unlock` probes the holders of repository locks with it).

#include <volback/util/cancel.hpp>

namespace volback::cli {

// Routes SIGINT and SIGTERM to `token` until the returned guard is destroyed.
// REQUIRES: `token` outlives the guard; one guard at a time.
class CancelOnSignals {
 public:
  explicit CancelOnSignals(util::CancelToken& token);
  ~CancelOnSignals();
  CancelOnSignals(const CancelOnSignals&) = delete;
  CancelOnSignals& operator=(const CancelOnSignals&) = delete;
};

}  // namespace volback::cli
