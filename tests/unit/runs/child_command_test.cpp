#include "runs/child_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sg::runs {
namespace {

using Argv = std::vector<std::string>;

CommandLine line_for(Operation op, std::string message = "") {
  return CommandLine{"/usr/bin/pulumi",
                     op,
                     "acme/payments/prod",
                     "/srv/projects/payments",
                     "/var/lib/stackgate/runs/r1/events.jsonl",
                     std::move(message)};
}

TEST(ChildCommand, UpHasTheDesignCommandLine) {
  auto argv = build_argv(line_for(Operation::kUp));
  ASSERT_TRUE(argv.ok()) << argv.error().message;
  EXPECT_EQ(*argv, (Argv{"/usr/bin/pulumi", "up", "--stack", "acme/payments/prod", "--cwd",
                         "/srv/projects/payments", "--non-interactive", "--yes", "--color", "never",
                         "--event-log", "/var/lib/stackgate/runs/r1/events.jsonl"}));
}

TEST(ChildCommand, PreviewHasNoYes) {
  auto argv = build_argv(line_for(Operation::kPreview));
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(*argv, (Argv{"/usr/bin/pulumi", "preview", "--stack", "acme/payments/prod", "--cwd",
                         "/srv/projects/payments", "--non-interactive", "--color", "never",
                         "--event-log", "/var/lib/stackgate/runs/r1/events.jsonl"}));
}

TEST(ChildCommand, RefreshAndDestroyPassYesAndNoOperationSkipsThePreview) {
  for (Operation op :
       {Operation::kPreview, Operation::kUp, Operation::kRefresh, Operation::kDestroy}) {
    auto argv = build_argv(line_for(op, "m"));
    ASSERT_TRUE(argv.ok());
    EXPECT_EQ((*argv)[1], operation_name(op));
    EXPECT_EQ(std::count(argv->begin(), argv->end(), "--yes"), op == Operation::kPreview ? 0 : 1);
    EXPECT_EQ(std::count(argv->begin(), argv->end(), "--skip-preview"), 0);
  }
}

TEST(ChildCommand, MessageIsOneArgumentLastForEveryOperation) {
  for (Operation op :
       {Operation::kPreview, Operation::kUp, Operation::kRefresh, Operation::kDestroy}) {
    auto argv = build_argv(line_for(op, "--yes -rf; deploy \"v2\"\nsecond line"));
    ASSERT_TRUE(argv.ok());
    EXPECT_EQ(argv->back(), "--message=--yes -rf; deploy \"v2\"\nsecond line");
    EXPECT_EQ(std::count(argv->begin(), argv->end(), "--yes"), op == Operation::kPreview ? 0 : 1);
  }
}

TEST(ChildCommand, AnEmptyMessageIsLeftOut) {
  auto argv = build_argv(line_for(Operation::kDestroy));
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(argv->size(), 12u);
  for (const auto& arg : *argv)
    EXPECT_EQ(arg.rfind("--message", 0), std::string::npos) << arg;
}

TEST(ChildCommand, RefusesAnEmptyRequiredValue) {
  const std::pair<std::string CommandLine::*, std::string> fields[] = {
      {&CommandLine::program, "the pulumi program is empty"},
      {&CommandLine::stack, "the pulumi stack is empty"},
      {&CommandLine::project_dir, "the pulumi project directory is empty"},
      {&CommandLine::event_log, "the pulumi event log is empty"},
  };
  for (const auto& [field, message] : fields) {
    CommandLine line = line_for(Operation::kUp);
    line.*field = "";
    auto argv = build_argv(line);
    ASSERT_FALSE(argv.ok());
    EXPECT_EQ(argv.error(), make_error(Errc::kInvalidArgument, message));
  }
}

TEST(ChildCommand, RefusesNulBytesThatWouldCutAnArgumentShort) {
  CommandLine line = line_for(Operation::kUp, std::string("ok\0--yes", 8));
  EXPECT_EQ(build_argv(line).error(),
            make_error(Errc::kInvalidArgument, "the run message holds a NUL byte"));
  line = line_for(Operation::kUp);
  line.stack = std::string("dev\0x", 5);
  EXPECT_EQ(build_argv(line).error(),
            make_error(Errc::kInvalidArgument, "the pulumi stack holds a NUL byte"));
}

TEST(ChildCommand, OperationNamesRoundTripAndNothingElseParses) {
  for (Operation op :
       {Operation::kPreview, Operation::kUp, Operation::kRefresh, Operation::kDestroy}) {
    auto parsed = parse_operation(operation_name(op));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, op);
  }
  EXPECT_EQ(operation_name(Operation::kUp), "up");
  for (const char* bad : {"", "Up", "update", "import", "preview ", "cancel"}) {
    EXPECT_EQ(parse_operation(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace sg::runs
