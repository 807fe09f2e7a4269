#include <volback/app/containers/crash_journal.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/fs/atomic_file.hpp>

namespace volback::app {

using nlohmann::json;

std::string crash_journal_path(const std::string& state_dir) {
  return (std::filesystem::path(state_dir) / "docker-stopped.json").string();
}

util::Result<void> write_crash_journal(const std::string& path, const CrashJournal& journal) {
  json doc = {{"version", 1}, {"containers", json::array()}, {"services", json::array()}};
  for (const auto& c : journal.containers) {
    json item = {{"id", c.id}, {"name", c.name}, {"started_at", c.started_at}};
    if (c.service_id) {
      item["service_id"] = *c.service_id;
    }
    doc["containers"].push_back(std::move(item));
  }
  for (const auto& s : journal.services) {
    doc["services"].push_back({{"id", s.id}, {"name", s.name}, {"replicas", s.replicas}});
  }
  return fs::write_file_atomically(path, doc.dump(2) + "\n");
}

util::Result<std::optional<CrashJournal>> read_crash_journal(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) {
      return std::optional<CrashJournal>();
    }
    return util::fail(util::errno_error(errno, fmt::format("reading {}", path)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  const json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  const auto corrupt = [&path] {
    return util::fail(util::ErrorKind::corrupt, fmt::format("the crash journal {} cannot be parsed", path));
  };
  if (doc.is_discarded() || !doc.is_object()) {
    return corrupt();
  }
  CrashJournal journal;
  try {
    for (const auto& item : doc.value("containers", json::array())) {
      JournalContainer c{item.at("id").get<std::string>(), item.value("name", std::string()),
                         item.value("started_at", std::string()), std::nullopt};
      if (item.contains("service_id")) {
        c.service_id = item.at("service_id").get<std::string>();
      }
      journal.containers.push_back(std::move(c));
    }
    for (const auto& item : doc.value("services", json::array())) {
      journal.services.push_back({item.at("id").get<std::string>(), item.value("name", std::string()),
                                  item.at("replicas").get<std::uint64_t>()});
    }
  } catch (const json::exception&) {
    return corrupt();
  }
  return std::optional<CrashJournal>(std::move(journal));
}

util::Result<void> remove_crash_journal(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return util::fail(util::errno_error(errno, fmt::format("removing {}", path)));
  }
  return {};
}

}  // namespace volback::app
