#pragma once
// Random name parts for temporary files that must not collide across runs or processes.

#include <cstddef>
#include <string>

namespace volback::fs {

// `length` characters drawn uniformly from [a-z0-9] using the kernel's CSPRNG
// (getrandom(2)). Never fails. Thread-safe.
std::string random_suffix(std::size_t length = 12);

}  // namespace volback::fs
