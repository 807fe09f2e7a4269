#include <volback/app/run/run_report.hpp>

namespace volback::app {

void notify_run_started(std::span<RunListener* const> listeners, const RunStart& start) {
  for (RunListener* listener : listeners) {
    listener->run_started(start);
  }
}

void notify_run_finished(std::span<RunListener* const> listeners, const RunReport& report) {
  for (RunListener* listener : listeners) {
    listener->run_finished(report);
  }
}

}  // namespace volback::app
