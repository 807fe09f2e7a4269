#pragma once
// storage/registry: the one table of storage backends. Every command gets its backends
// from here (through app's validated configuration): adding a backend is a new
// storage/<name>/ folder with its BackendType, one line in registry.cpp, and its tests
// (the conformance suite among them, testing/storage_conformance.hpp).

#include <memory>
#include <span>
#include <vector>

#include <volback/storage/backend_config.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage {

// Every backend type, in the order a run uses the configured ones: Local first (an
// archive is complete, "sealed", once it is on local disk), then the remote ones.
std::span<const BackendType* const> backend_types();

// Parses the settings of every type and returns the configured backends, in that
// order. Errors: the first backend's parse error.
util::Result<std::vector<std::shared_ptr<const BackendConfig>>> parse_backends(const util::Settings& settings,
                                                                               const NameExpander& expand);

// The setting declarations of every backend, for print-config and --help.
std::vector<std::span<const util::SettingSpec>> backend_setting_specs();

}  // namespace volback::storage
