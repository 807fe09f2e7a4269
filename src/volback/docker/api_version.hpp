#pragma once
// Which Engine API version volback speaks with a daemon, decided as Docker's Go client
// does: DOCKER_API_VERSION when set, otherwise the version the daemon announces (on
// /_ping or /version), capped at the newest version volback knows. Pure functions.
//
// Debian's dockerd 20.10 announces 1.41; current engines (29.x) refuse clients below
// 1.44 and announce 1.52 or later, so volback then speaks k_newest_api_version.

#include <optional>
#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::docker {

inline constexpr std::string_view k_newest_api_version = "1.47";
// What a daemon that announces nothing is assumed to speak (the Go client's fallback).
inline constexpr std::string_view k_fallback_api_version = "1.24";

// Compares "1.41" and "1.44" numerically (major, then minor). Invalid text sorts first.
int compare_api_versions(std::string_view a, std::string_view b);

// Whether `version` looks like "<digits>.<digits>".
bool is_api_version(std::string_view version);

// The version to use. `override_version` is DOCKER_API_VERSION (used as given, after a
// syntax check: invalid_argument); `announced` is the daemon's (nullopt or empty: the
// fallback).
util::Result<std::string> negotiate_api_version(std::optional<std::string_view> override_version,
                                                std::optional<std::string_view> announced);

}  // namespace volback::docker
