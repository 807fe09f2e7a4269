// Fuzzes schedule::parse_cron and, for what it accepts, asks next_fire for a few fire
// times from fixed instants (the epoch, 2026 and a day inside a DST change) and
// never_fires, checking that each fire time is strictly later than the instant asked.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <volback/schedule/cron.hpp>

using namespace volback;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 512) {
    return 0;  // an expression longer than this tells nothing new
  }
  static const util::TimeZone utc = util::TimeZone::utc();
  static const util::TimeZone berlin = util::TimeZone::named("Europe/Berlin").value_or(util::TimeZone::utc());
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& zone = (size % 2 == 0) ? utc : berlin;
  auto schedule = schedule::parse_cron(text, zone);
  if (!schedule) {
    return 0;
  }
  using std::chrono::seconds;
  const util::TimePoint starts[] = {
    util::TimePoint{},                     // 1970-01-01T00:00:00Z
    util::TimePoint{seconds{1795687200}},  // 2026-11-26T10:00:00Z
    util::TimePoint{seconds{1774738800}},  // 2026-03-28T23:00:00Z, before Europe's spring-forward
  };
  for (const auto start : starts) {
    auto t = start;
    for (int i = 0; i < 3; ++i) {
      const auto next = schedule::next_fire(*schedule, t);
      if (!next) {
        break;
      }
      if (*next <= t) {
        std::abort();  // next_fire promises a time strictly after `after`
      }
      t = *next;
    }
  }
  (void)schedule::never_fires(*schedule, starts[1]);
  return 0;
}
