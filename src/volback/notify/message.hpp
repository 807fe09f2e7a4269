#pragma once
// One notification as every service receives it: offen's rendered title and body.

#include <string>

namespace volback::notify {

struct Message {
  std::string title;
  std::string body;
};

}  // namespace volback::notify
