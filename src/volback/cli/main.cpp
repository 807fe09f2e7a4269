#include <volback/cli/run.hpp>

int main(int argc, char** argv) {
  return volback::cli::run(argc, argv);
}
