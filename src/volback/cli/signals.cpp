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
  // `restic unlock` on this host sends SIGHUP to the PID of every repository lock to see
  // whether it lives: a run that holds one must not die of it.
  struct sigaction hangup {};
  hangup.sa_handler = handler == SIG_DFL ? SIG_DFL : SIG_IGN;
  sigemptyset(&hangup.sa_mask);
  sigaction(SIGHUP, &hangup, nullptr);
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
