#include <volback/storage/s3/s3_xml.hpp>

#include <volback/storage/xml_tree.hpp>

#include <charconv>
#include <limits>
#include <memory>

#include <fmt/format.h>

namespace volback::storage::s3 {

namespace {

using Node = XmlNode;

// Parses `xml` and returns its document element.
util::Result<std::unique_ptr<Node>> parse(std::string_view xml) {
  return parse_xml(xml, "the S3 server");
}

util::Result<const Node*> expect_root(const std::unique_ptr<Node>& doc, std::string_view name) {
  if (doc->name != name) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("unexpected S3 response: <{}> where <{}> was expected", doc->name, name));
  }
  return doc.get();
}

std::uint64_t to_u64(std::string_view text) {
  std::uint64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

S3ErrorBody error_of(const Node& n) {
  return {n.child_text("Code"), n.child_text("Message"), n.child_text("Region")};
}

}  // namespace

std::optional<S3ErrorBody> parse_error(std::string_view xml) {
  auto doc = parse(xml);
  if (!doc || (*doc)->name != "Error") {
    return std::nullopt;
  }
  return error_of(**doc);
}

util::Result<ListObjectsPage> parse_list_objects_v2(std::string_view xml) {
  VOLBACK_TRY_ASSIGN(auto doc, parse(xml));
  VOLBACK_TRY_ASSIGN(const Node* root, expect_root(doc, "ListBucketResult"));
  ListObjectsPage page;
  page.truncated = root->child_text("IsTruncated") == "true";
  page.next_continuation_token = root->child_text("NextContinuationToken");
  for (const auto& c : root->children) {
    if (c->name == "Contents") {
      page.objects.push_back({c->child_text("Key"), to_u64(c->child_text("Size")), c->child_text("LastModified")});
    }
  }
  if (page.truncated && page.next_continuation_token.empty()) {
    return util::fail(util::ErrorKind::corrupt, "truncated S3 listing without a NextContinuationToken");
  }
  return page;
}

util::Result<std::string> parse_initiate_multipart(std::string_view xml) {
  VOLBACK_TRY_ASSIGN(auto doc, parse(xml));
  VOLBACK_TRY_ASSIGN(const Node* root, expect_root(doc, "InitiateMultipartUploadResult"));
  std::string id = root->child_text("UploadId");
  if (id.empty()) {
    return util::fail(util::ErrorKind::corrupt, "InitiateMultipartUpload answered without an UploadId");
  }
  return id;
}

util::Result<std::string> parse_complete_multipart(std::string_view xml) {
  VOLBACK_TRY_ASSIGN(auto doc, parse(xml));
  if (doc->name == "Error") {
    const auto e = error_of(*doc);
    const bool retry = e.code == "InternalError" || e.code == "SlowDown" || e.code == "ServiceUnavailable";
    return util::fail(retry ? util::ErrorKind::transient : util::ErrorKind::permanent,
                      fmt::format("CompleteMultipartUpload failed: {}: {}", e.code, e.message));
  }
  VOLBACK_TRY_ASSIGN(const Node* root, expect_root(doc, "CompleteMultipartUploadResult"));
  return root->child_text("ETag");
}

util::Result<ListUploadsPage> parse_list_multipart_uploads(std::string_view xml) {
  VOLBACK_TRY_ASSIGN(auto doc, parse(xml));
  VOLBACK_TRY_ASSIGN(const Node* root, expect_root(doc, "ListMultipartUploadsResult"));
  ListUploadsPage page;
  page.truncated = root->child_text("IsTruncated") == "true";
  page.next_key_marker = root->child_text("NextKeyMarker");
  page.next_upload_id_marker = root->child_text("NextUploadIdMarker");
  for (const auto& c : root->children) {
    if (c->name == "Upload") {
      page.uploads.push_back({c->child_text("Key"), c->child_text("UploadId"), c->child_text("Initiated")});
    }
  }
  return page;
}

util::Result<DeleteResult> parse_delete_objects(std::string_view xml) {
  VOLBACK_TRY_ASSIGN(auto doc, parse(xml));
  VOLBACK_TRY_ASSIGN(const Node* root, expect_root(doc, "DeleteResult"));
  DeleteResult result;
  for (const auto& c : root->children) {
    if (c->name == "Deleted") {
      result.deleted.push_back(c->child_text("Key"));
    } else if (c->name == "Error") {
      result.errors.emplace_back(c->child_text("Key"), error_of(*c));
    }
  }
  return result;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default: out += c;
    }
  }
  return out;
}

}  // namespace volback::storage::s3
