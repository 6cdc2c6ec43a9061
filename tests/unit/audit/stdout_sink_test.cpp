// StdoutSink writing into a pipe: exact lines, and write failures as errors.
#include "audit/stdout_sink.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0); }
  ~Pipe() {
    close_read();
    if (fds[1] >= 0) ::close(fds[1]);
  }
  void close_read() {
    if (fds[0] >= 0) ::close(fds[0]);
    fds[0] = -1;
  }
  // Everything written so far (the write end must be closed first, or this blocks).
  std::string drain() {
    ::close(fds[1]);
    fds[1] = -1;
    std::string out;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
      out.append(buf, static_cast<std::size_t>(n));
    return out;
  }
};

TEST(StdoutSink, WritesOneJsonLinePerEventInOrder) {
  const auto records = test::records_of(test::sealed_chain(3));
  Pipe pipe;
  StdoutSink sink(pipe.fds[1]);
  ASSERT_TRUE(sink.deliver(std::span(records).subspan(0, 2)).ok());
  ASSERT_TRUE(sink.deliver(std::span(records).subspan(2, 1)).ok());
  EXPECT_EQ(pipe.drain(), records[0].body + "\n" + records[1].body + "\n" + records[2].body + "\n");
}

TEST(StdoutSink, IsNamedStdoutAndIsNotDurable) {
  StdoutSink sink;
  EXPECT_EQ(sink.name(), "stdout");
  EXPECT_FALSE(sink.durable());
}

TEST(StdoutSink, AFailedWriteIsAnIoError) {
  const auto records = test::records_of(test::sealed_chain(1));
  StdoutSink sink(-1);
  Status s = sink.deliver(records);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kIo);
  EXPECT_EQ(s.error().message, "audit sink stdout: write failed: Bad file descriptor");
}

TEST(StdoutSink, AClosedPipeIsAnErrorWhenSigpipeIsBlocked) {
  // As in the runner's thread: SIGPIPE blocked there, so the write fails with EPIPE. The pending
  // signal is discarded with the thread.
  const auto records = test::records_of(test::sealed_chain(1));
  Pipe pipe;
  pipe.close_read();
  StdoutSink sink(pipe.fds[1]);
  Status s;
  std::thread writer([&] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    s = sink.deliver(records);
  });
  writer.join();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kIo);
  EXPECT_EQ(s.error().message, "audit sink stdout: write failed: Broken pipe");
}

}  // namespace
}  // namespace sg::audit
