#include <volback/cli/reading_settings.hpp>

#include <volback/cli/make_logger.hpp>

namespace volback::cli {

std::unique_ptr<ReadingSettings> ReadingSettings::load(Runtime& runtime, const std::string& config_file,
                                                       Sources sources) {
  std::unique_ptr<ReadingSettings> out(new ReadingSettings());
  std::vector<const util::ConfigSource*> layers{&runtime.environment()};
  if (!config_file.empty()) {
    auto loaded = app::load_confd_file(runtime.environment(), config_file);
    if (!loaded) {
      runtime.log().error(loaded.error().message());
      return nullptr;
    }
    out->m_schedule.emplace(std::move(*loaded));
    layers.push_back(out->m_schedule->file());
  }
  if (sources == Sources::ignored) {
    layers.push_back(&out->m_reading_only);
  }
  out->m_settings = std::make_unique<util::Settings>(layers);
  out->m_log = make_logger(*out->m_settings, runtime.clock(), runtime.log_stream());
  return out;
}

}  // namespace volback::cli
