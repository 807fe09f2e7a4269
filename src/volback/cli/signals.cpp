#include <volback/cli/signals.hpp>

#include <csignal>

namespace volback::cli {

namespace {

// A signal handler cannot take arguments; this is the one place that needs a global.
util::CancelToken* g_token = nullptr;

extern "C" void request_cancel(int) {
  if (g_token != nullptr) {
    g_token->request();
  }
}

void install(void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

CancelOnSignals::CancelOnSignals(util::CancelToken& token) {
  g_token = &token;
  install(request_cancel);
}

CancelOnSignals::~CancelOnSignals() {
  install(SIG_DFL);
  g_token = nullptr;
}

}  // namespace volback::cli
