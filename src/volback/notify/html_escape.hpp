#pragma once

#include <string>
#include <string_view>

namespace volback::notify {

// Escapes text for HTML as Go's text/template `html` function does: " ' & < > become
// &#34; &#39; &amp; &lt; &gt;, and NUL becomes U+FFFD. Used by that template function, the
// HTML part of mails and Telegram's HTML parse mode.
std::string html_escape(std::string_view text);

}  // namespace volback::notify
