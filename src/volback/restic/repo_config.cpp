#include <volback/restic/repo_config.hpp>

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/crypto/primitives.hpp>
#include <volback/restic/id.hpp>

namespace volback::restic {

namespace {

constexpr std::size_t k_max_repo_id_size = 256;

util::Error config_corrupt(std::string_view why) {
  return util::Error(util::ErrorKind::corrupt, fmt::format("repository config: {}", why));
}

}  // namespace

util::Result<RepoConfig> new_repo_config() {
  std::array<unsigned char, 32> random{};
  VOLBACK_TRY(crypto::random_bytes(random));
  Id id;
  id.bytes = random;
  VOLBACK_TRY_ASSIGN(const Polynomial polynomial, random_polynomial());
  return RepoConfig{.version = 2, .id = id.hex(), .chunker_polynomial = polynomial};
}

std::string serialize_repo_config(const RepoConfig& config) {
  nlohmann::ordered_json json;
  json["version"] = config.version;
  json["id"] = config.id;
  json["chunker_polynomial"] = polynomial_hex(config.chunker_polynomial);
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

util::Result<RepoConfig> parse_repo_config(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) {
    return util::fail(config_corrupt("not a JSON object"));
  }
  RepoConfig config;
  const auto version = json.find("version");
  if (version == json.end() || !version->is_number_unsigned() || version->get<std::uint64_t>() < k_min_repo_version ||
      version->get<std::uint64_t>() > k_max_repo_version) {
    return util::fail(config_corrupt(
      fmt::format("unsupported repository version {}", version == json.end() ? "(none)" : version->dump())));
  }
  config.version = version->get<unsigned>();
  const auto id = json.find("id");
  if (id == json.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
      id->get_ref<const std::string&>().size() > k_max_repo_id_size) {
    return util::fail(config_corrupt("no repository id"));
  }
  config.id = id->get<std::string>();
  const auto polynomial = json.find("chunker_polynomial");
  if (polynomial == json.end() || !polynomial->is_string()) {
    return util::fail(config_corrupt("no chunker polynomial"));
  }
  auto parsed = parse_polynomial(polynomial->get_ref<const std::string&>());
  if (!parsed) {
    return util::fail(parsed.error().with_context("repository config: invalid chunker polynomial"));
  }
  config.chunker_polynomial = *parsed;
  return config;
}

util::Result<std::string> seal_repo_config(const MasterKey& key, const RepoConfig& config) {
  return seal(key, serialize_repo_config(config));
}

util::Result<RepoConfig> open_repo_config(const MasterKey& key, std::string_view file) {
  auto json = open_sealed(key, file);
  if (!json) {
    return util::fail(json.error().with_context("repository config"));
  }
  return parse_repo_config(*json);
}

}  // namespace volback::restic
