#include <volback/storage/s3/s3_xml.hpp>

#include <expat.h>

#include <charconv>
#include <limits>
#include <memory>

#include <fmt/format.h>

namespace volback::storage::s3 {

namespace {

// A tiny element tree: S3 responses are small (a listing page is at most 1000 entries).
struct Node {
  std::string name;
  std::string text;
  std::vector<std::unique_ptr<Node>> children;
  Node* parent = nullptr;

  const Node* child(std::string_view n) const {
    for (const auto& c : children) {
      if (c->name == n) {
        return c.get();
      }
    }
    return nullptr;
  }
  std::string child_text(std::string_view n) const {
    const Node* c = child(n);
    return c != nullptr ? c->text : std::string();
  }
};

std::string_view local_name(const char* name) {
  std::string_view n(name);
  const auto sep = n.rfind('|');  // expat's namespace separator below
  return sep == std::string_view::npos ? n : n.substr(sep + 1);
}

// How deep elements may nest. S3's answers nest four levels at most; the limit keeps a
// hostile body from building a tree whose recursive destruction overflows the stack.
constexpr int k_max_depth = 32;

struct Builder {
  XML_Parser parser = nullptr;
  Node root;
  Node* current = &root;
  int depth = 0;
  bool too_deep = false;
};

void on_start(void* user, const XML_Char* name, const XML_Char**) {
  auto& b = *static_cast<Builder*>(user);
  if (++b.depth > k_max_depth) {
    b.too_deep = true;
    XML_StopParser(b.parser, XML_FALSE);
    return;
  }
  auto node = std::make_unique<Node>();
  node->name = std::string(local_name(name));
  node->parent = b.current;
  Node* raw = node.get();
  b.current->children.push_back(std::move(node));
  b.current = raw;
}

void on_end(void* user, const XML_Char*) {
  auto& b = *static_cast<Builder*>(user);
  --b.depth;
  if (b.current->parent != nullptr) {
    b.current = b.current->parent;
  }
}

void on_text(void* user, const XML_Char* s, int len) {
  auto& b = *static_cast<Builder*>(user);
  b.current->text.append(s, static_cast<std::size_t>(len));
}

struct ParserDeleter {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

// Parses `xml` and returns its document element.
util::Result<std::unique_ptr<Node>> parse(std::string_view xml) {
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreateNS(nullptr, '|'));
  if (!parser) {
    return util::fail(util::ErrorKind::permanent, "cannot create an XML parser");
  }
  Builder b;
  b.parser = parser.get();
  XML_SetUserData(parser.get(), &b);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  if (xml.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return util::fail(util::ErrorKind::corrupt, "XML answer from the S3 server is too large");
  }
  const auto status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), 1);
  if (b.too_deep) {
    return util::fail(util::ErrorKind::corrupt,
                      fmt::format("malformed XML from the S3 server: elements nested deeper than {}", k_max_depth));
  }
  if (status == XML_STATUS_ERROR) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("malformed XML from the S3 server: {} at line {}",
                                                            XML_ErrorString(XML_GetErrorCode(parser.get())),
                                                            XML_GetCurrentLineNumber(parser.get())));
  }
  if (b.root.children.empty()) {
    return util::fail(util::ErrorKind::corrupt, "empty XML document from the S3 server");
  }
  return std::move(b.root.children.front());
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
