#pragma once
// Which snapshots of the repository the retention rules forget after a run: restic's
// `forget` with volback's settings. The GFS rules (BACKUP_RETENTION_KEEP_*) apply as they
// do to archives, and BACKUP_RETENTION_DAYS becomes keep-within that many days (measured
// from the newest snapshot, as restic does) unless BACKUP_RETENTION_KEEP_WITHIN is set.
// Only the snapshots of this run's host and paths are candidates (restic groups by host
// and paths): snapshots that restic or another machine wrote into the same repository are
// never forgotten by volback. When the rules would forget every candidate, none is (as
// for archives). Pure.

#include <vector>

#include <volback/restic/id.hpp>
#include <volback/restic/snapshot_lookup.hpp>
#include <volback/retention/retention_settings.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

struct SnapshotGroup {
  std::string hostname;
  std::vector<std::string> paths;  // in any order
};

// The ids to forget. Precondition: settings.enabled().
std::vector<restic::Id> snapshots_to_forget(const std::vector<restic::StoredSnapshot>& snapshots,
                                            const SnapshotGroup& group, const retention::RetentionSettings& settings,
                                            util::TimePoint now, const util::TimeZone& zone);

}  // namespace volback::app
