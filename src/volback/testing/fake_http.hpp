#pragma once
// Helpers of the in-memory HTTP services that backend tests put behind http::Transport
// (the Azure and Google Drive conformance tests).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace volback::testing {

// `text` with each %XX replaced by its byte (as http::url_encode writes them); anything
// else, a malformed escape included, is kept as it is.
inline std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// An absolute URL ("https://host/path?a=1&b=2") taken apart: the path as sent (still
// encoded) and the decoded query parameters in order.
struct FakeUrl {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};

inline FakeUrl split_fake_url(const std::string& url) {
  FakeUrl out;
  const auto q = url.find('?');
  const auto slash = url.find('/', url.find("://") + 3);
  out.path = url.substr(slash, q == std::string::npos ? std::string::npos : q - slash);
  if (q == std::string::npos) {
    return out;
  }
  std::string rest = url.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string part = rest.substr(0, amp);
    rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
    const auto eq = part.find('=');
    out.query.emplace_back(percent_decode(part.substr(0, eq)),
                           eq == std::string::npos ? std::string() : percent_decode(part.substr(eq + 1)));
  }
  return out;
}

}  // namespace volback::testing
