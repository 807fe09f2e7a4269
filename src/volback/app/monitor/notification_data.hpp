#pragma once
// offen's template data (notify/notification_data.hpp) for one finished run.

#include <volback/app/run/run_report.hpp>
#include <volback/notify/notification_data.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

// The data of `report`: Error (the run's error, or for a warning its warnings joined
// with "; "), `config` as .Config, and Stats from the report (times in `zone`; the
// backends' stats under their names, which are offen's: Local, S3). Pure.
notify::NotificationData make_notification_data(const RunReport& report, notify::Value::Fields config,
                                                std::optional<std::string> error, const util::TimeZone& zone);

}  // namespace volback::app
