#include <volback/storage/azure/azure_xml.hpp>

#include <charconv>

#include <volback/storage/xml_tree.hpp>

namespace volback::storage::azure {

util::Result<BlobPage> parse_blob_page(std::string_view xml) {
  VOLBACK_TRY_ASSIGN(auto doc, parse_xml(xml, "the Azure Blob service"));
  if (doc->name != "EnumerationResults") {
    return util::fail(util::ErrorKind::corrupt,
                      "unexpected Azure answer: <" + doc->name + "> instead of <EnumerationResults>");
  }
  BlobPage page;
  page.next_marker = doc->child_text("NextMarker");
  if (const XmlNode* blobs = doc->child("Blobs"); blobs != nullptr) {
    for (const auto& blob : blobs->children) {
      if (blob->name != "Blob") {
        continue;
      }
      ListedBlob out;
      out.name = blob->child_text("Name");
      if (const XmlNode* properties = blob->child("Properties"); properties != nullptr) {
        const std::string length = properties->child_text("Content-Length");
        std::from_chars(length.data(), length.data() + length.size(), out.size);
        out.last_modified = properties->child_text("Last-Modified");
        out.access_tier = properties->child_text("AccessTier");
      }
      if (const XmlNode* metadata = blob->child("Metadata"); metadata != nullptr) {
        out.partial_marker = metadata->child_text("volbackpartial") == "1";
      }
      page.blobs.push_back(std::move(out));
    }
  }
  return page;
}

std::optional<AzureErrorBody> parse_error(std::string_view xml) {
  auto doc = parse_xml(xml, "the Azure Blob service");
  if (!doc || (*doc)->name != "Error") {
    return std::nullopt;
  }
  return AzureErrorBody{(*doc)->child_text("Code"), (*doc)->child_text("Message")};
}

}  // namespace volback::storage::azure
