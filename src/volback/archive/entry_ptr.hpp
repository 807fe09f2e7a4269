#pragma once

#include <archive_entry.h>

#include <memory>

namespace volback::archive {

// Frees a libarchive entry (archive_entry_free), for EntryPtr.
struct EntryDeleter {
  void operator()(::archive_entry* e) const { archive_entry_free(e); }
};

// An owned libarchive entry: EntryPtr entry(archive_entry_new()). Empty when allocation failed.
using EntryPtr = std::unique_ptr<::archive_entry, EntryDeleter>;

}  // namespace volback::archive
