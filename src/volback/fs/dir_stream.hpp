#pragma once

#include <dirent.h>

#include <memory>

namespace volback::fs {

// Closes a directory stream (closedir), for DirStream.
struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

// An open directory stream from opendir or fdopendir (which then owns the descriptor),
// closed when it goes out of scope. Empty when the call failed (errno says why).
using DirStream = std::unique_ptr<DIR, DirCloser>;

}  // namespace volback::fs
