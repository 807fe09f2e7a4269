#pragma once
// Fans one stream out to several sinks, as a backup does to several backends.
//
// A branch that fails is dropped and its error kept; the others go on, so one
// failing backend does not stop the rest. The tee itself fails only when every branch
// has failed. finish() finishes each surviving branch. Back-pressure: write() returns
// once every live branch accepted the data.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/io/sink.hpp>

namespace volback::io {

class TeeSink final : public Sink {
 public:
  struct Branch {
    std::string name;            // e.g. the backend's name, for reports
    std::unique_ptr<Sink> sink;  // owned
  };

  explicit TeeSink(std::vector<Branch> branches);

  util::Result<void> write(std::span<const std::byte> data) override;
  util::Result<void> finish() override;

  // After finish(): the error of each branch, nullopt for the branches that committed.
  struct Outcome {
    std::string name;
    std::optional<util::Error> error;
  };
  std::vector<Outcome> outcomes() const;

 private:
  util::Result<void> all_failed() const;

  std::vector<Branch> m_branches;
  std::vector<std::optional<util::Error>> m_errors;
};

}  // namespace volback::io
