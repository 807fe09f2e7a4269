#pragma once
// The application checks of a restore drill (app/restore/restore_drill.hpp), as the drill
// sees them: something that finds the containers to check before anything is restored,
// and then checks each on the restored data. The Docker implementation
// (app/containers/drill_twins.hpp) starts a throwaway twin of each container labelled
// docker-volume-backup.drill-check; tests use fakes.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::app {

inline constexpr std::string_view k_drill_check_label = "docker-volume-backup.drill-check";
inline constexpr std::string_view k_drill_expect_label = "docker-volume-backup.drill-expect";

struct AppCheckResult {
  std::string container;  // the live container's name
  std::string command;    // the check, as labelled
  bool passed = false;
  std::string output;   // the last lines of the check's last output
  std::string failure;  // why it failed; empty when it passed
  std::chrono::nanoseconds duration{};
};

class DrillChecks {
 public:
  virtual ~DrillChecks() = default;
  // Finds the containers with a check and validates their labels (an invalid
  // drill-expect is invalid_argument naming the container), and removes twins that a
  // killed drill left behind. Returns the containers' names. Errors: the daemon's.
  virtual util::Result<std::vector<std::string>> prepare() = 0;
  // Checks every prepared container on the restored data: `restored` maps each volume
  // of the backup to the directory it was restored into. Each check's outcome is in its
  // result; nothing is left running afterwards.
  virtual std::vector<AppCheckResult> run(const std::map<std::string, std::string>& restored) = 0;
};

}  // namespace volback::app
