#include <volback/notify/html_escape.hpp>

namespace volback::notify {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '"': out += "&#34;"; break;
    case '\'': out += "&#39;"; break;
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '\0': out += "\xEF\xBF\xBD"; break;
    default: out += c;
    }
  }
  return out;
}

}  // namespace volback::notify
