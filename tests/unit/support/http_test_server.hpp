// A tiny blocking HTTP/1.1 server on a loopback port for the outbound HTTP client tests (identity's
// CurlFetcher, audit's CurlPoster): it accepts one
// connection at a time, reads the request head and a Content-Length body, records the request,
// and answers with whatever the handler returns (raw bytes, written as they are); std::nullopt
// means never answer (the connection is held until the client gives up or the server stops).
// Test-only; each test owns its server, which runs in its own thread until destroyed.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sg::test {

// A TCP socket bound to 127.0.0.1:`port` (0: any free port), not listening; -1 on failure.
inline int loopback_socket(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline int port_of(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

struct HttpRequest {
  std::string head;  // request line and headers, up to and including the empty line
  std::string body;
};

inline std::string http_response(int status, const std::string& body = "",
                                 const std::string& headers = "") {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
         headers + "\r\n" + body;
}

class HttpTestServer {
 public:
  using Handler = std::function<std::optional<std::string>(const HttpRequest& request)>;

  explicit HttpTestServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = loopback_socket(0);
    EXPECT_GE(fd_, 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    port_ = port_of(fd_);
    thread_ = std::thread([this] { run(); });
  }
  ~HttpTestServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes the blocked accept()
    thread_.join();
    ::close(fd_);
  }
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void run() {
    while (!stopping_) {
      const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) break;
      serve(conn);
      ::close(conn);
    }
  }

  // Waits up to 50 ms at a time for input; false once stopping.
  bool readable(int conn) const {
    pollfd p{conn, POLLIN, 0};
    while (!stopping_) {
      if (::poll(&p, 1, 50) > 0) return true;
    }
    return false;
  }

  // The Content-Length of `head` (0 when absent).
  static std::size_t content_length(const std::string& head) {
    const std::string name = "\r\ncontent-length:";
    std::string lower = head;
    for (char& c : lower)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower.find(name);
    if (at == std::string::npos) return 0;
    return std::stoul(head.substr(at + name.size()));
  }

  void serve(int conn) {
    std::string data;
    char buf[4096];
    std::size_t head_end = std::string::npos;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos && data.size() < 65536) {
      if (!readable(conn)) return;
      const ssize_t n = ::recv(conn, buf, sizeof buf, 0);
      if (n <= 0) return;
      data.append(buf, static_cast<std::size_t>(n));
    }
    if (head_end == std::string::npos) return;
    HttpRequest request{data.substr(0, head_end + 4), data.substr(head_end + 4)};
    const std::size_t length = content_length(request.head);
    while (request.body.size() < length) {
      if (!readable(conn)) return;
      const ssize_t n = ::recv(conn, buf, sizeof buf, 0);
      if (n <= 0) return;
      request.body.append(buf, static_cast<std::size_t>(n));
    }
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
    }
    const std::optional<std::string> response = handler_(request);
    if (!response) {  // hold the connection until the client closes it
      while (readable(conn) && ::recv(conn, buf, sizeof buf, 0) > 0) {
      }
      return;
    }
    std::size_t sent = 0;
    while (sent < response->size()) {
      const ssize_t n =
          ::send(conn, response->data() + sent, response->size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<HttpRequest> requests_;
  std::thread thread_;
};

}  // namespace sg::test
