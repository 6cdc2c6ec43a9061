// Reads ../shared/reference/pulumi-event-log-samples.jsonl (real lines from Pulumi's own test
// fixtures). The file is not copied into the repository; tests skip when it is absent.
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace sg::runs::testing {

inline constexpr const char* kSamplesPath =
    STACKGATE_SHARED_DIR "/reference/pulumi-event-log-samples.jsonl";

inline std::optional<std::string> read_samples() {
  std::ifstream in(kSamplesPath, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace sg::runs::testing

#define SG_READ_SAMPLES_OR_SKIP(var)                                                     \
  auto var##_opt = ::sg::runs::testing::read_samples();                                  \
  if (!var##_opt) {                                                                      \
    GTEST_SKIP() << "the Pulumi event-log samples are not at "                           \
                 << ::sg::runs::testing::kSamplesPath                                    \
                 << " (they live in the shared reference folder beside the repository)"; \
  }                                                                                      \
  const std::string& var = *var##_opt
