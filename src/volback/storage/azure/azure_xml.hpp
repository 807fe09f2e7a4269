#pragma once
// Parsing of the Azure Blob XML answers volback reads (List Blobs, errors). Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::storage::azure {

struct ListedBlob {
  std::string name;
  std::uint64_t size = 0;
  std::string last_modified;  // RFC 1123
  std::string access_tier;
  bool partial_marker = false;  // metadata volbackpartial=1: an aborted upload's placeholder
};

struct BlobPage {
  std::vector<ListedBlob> blobs;
  std::string next_marker;  // empty on the last page
};

// An EnumerationResults document. Errors: corrupt.
util::Result<BlobPage> parse_blob_page(std::string_view xml);

struct AzureErrorBody {
  std::string code;  // "AuthenticationFailed", "ContainerNotFound", ...
  std::string message;
};

// An <Error> document, or nullopt for anything else.
std::optional<AzureErrorBody> parse_error(std::string_view xml);

}  // namespace volback::storage::azure
