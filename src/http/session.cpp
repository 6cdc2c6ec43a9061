#include "http/session.hpp"

#include <strings.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "audit/writer.hpp"
#include "common/header_field.hpp"
#include "common/ids.hpp"
#include "common/json_text.hpp"
#include "http/dispatch.hpp"
#include "http/error_status.hpp"

namespace sg::http::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// After shutdown begins, a connection that has not sent anything yet gets this long to do so.
constexpr std::chrono::milliseconds kDrainFirstRequestWait{1000};

// Lingering close after an error answer: at most this long, at most this many bytes.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::size_t kLingerBytes = 1024 * 1024;

using BeastRequest = bhttp::request<bhttp::string_body>;

// Why a connection ended before a full request arrived; for the log line.
std::string_view read_failure(const beast::error_code& ec) {
  if (ec == beast::error::timeout) return "read timeout";
  if (ec == bhttp::error::end_of_stream || ec == asio::error::eof) return "closed by client";
  if (ec == asio::error::operation_aborted) return "closed for shutdown";
  if (ec == asio::error::connection_reset) return "reset by client";
  return "read error";
}

// A parse error that deserves an answer: the limits (431, 413) and malformed HTTP (400).
std::optional<Error> protocol_error(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) {
    return Error{Errc::kHeadersTooLarge, "request headers are too large"};
  }
  if (ec == bhttp::error::body_limit)
    return Error{Errc::kPayloadTooLarge, "request body is too large"};
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return Error{Errc::kMalformedRequest, "malformed HTTP request"};
  }
  return std::nullopt;
}

Request to_request(const BeastRequest& m) {
  Request r;
  r.method_text = std::string_view(m.method_string().data(), m.method_string().size());
  r.method = method_from(r.method_text);
  r.target = std::string_view(m.target().data(), m.target().size());
  std::size_t q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string_view::npos) r.query = r.target.substr(q + 1);
  r.headers.reserve(16);
  for (const auto& field : m) {
    r.headers.push_back(
        Header{std::string_view(field.name_string().data(), field.name_string().size()),
               std::string_view(field.value().data(), field.value().size())});
  }
  r.body = m.body();
  return r;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

// Serialises `r` as an HTTP/1.x response into `out` (status line, headers, then the body unless
// `head`): Content-Type, Content-Length (for HEAD, the length GET would send), X-Request-Id,
// Cache-Control (no-store, unless the handler set it), X-Content-Type-Options, the handler's
// headers, and Connection where the version's default is not what we do. Written by hand rather
// than through Beast's fields and serializer: a response is small, and this is one reused buffer
// instead of an allocation per header.
void serialize(Response& r, unsigned version, bool head, bool keep_alive,
               const std::string& request_id, std::string& out) {
  out.clear();
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out.append(std::to_string(r.status));
  out.push_back(' ');
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  append_header(out, "Content-Type", r.content_type);
  bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (r.stream) {
    // Delimited by closing the connection; proxies must pass it on as it comes.
    out.append("X-Accel-Buffering: no\r\n");
  } else if (!bodiless) {
    append_header(out, "Content-Length", std::to_string(r.body.size()));
  }
  append_header(out, "X-Request-Id", request_id);
  // no-store unless the handler chose its own caching (public discovery documents and keys).
  const bool own_cache = std::ranges::any_of(r.headers, [](const auto& h) {
    return h.first.size() == 13 && ::strncasecmp(h.first.data(), "Cache-Control", 13) == 0;
  });
  if (!own_cache) out.append("Cache-Control: no-store\r\n");
  out.append("X-Content-Type-Options: nosniff\r\n");
  for (const auto& [name, value] : r.headers) {
    // A header a handler set is written only if it cannot break the response apart.
    if (is_header_field(name, value)) append_header(out, name, value);
  }
  if (version == 10) {
    if (keep_alive) out.append("Connection: keep-alive\r\n");
  } else if (!keep_alive) {
    out.append("Connection: close\r\n");
  }
  out.append("\r\n");
  if (!head && !bodiless) out.append(r.body);
}

// Submits `events` to the writer and resumes, on this session's executor, once they are durable
// or have failed.
asio::awaitable<Status> record(audit::AuditWriter& writer, std::vector<audit::AuditEvent> events) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Status)>(
      [&writer, executor](auto handler, std::vector<audit::AuditEvent> batch) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        writer.submit(std::move(batch), [shared, executor](const Status& status) {
          asio::post(executor, [shared, status]() mutable { std::move (*shared)(status); });
        });
      },
      asio::use_awaitable, std::move(events));
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, Worker& worker, SessionShared& shared)
    : stream_(std::move(socket)), worker_(worker), shared_(shared) {
  beast::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ip_ = endpoint.address().to_string();
  stream_.socket().non_blocking(true, ec);  // for the immediate write in serve()
  registration_ = worker_.sessions.insert(worker_.sessions.end(), this);
  shared_.open.fetch_add(1);
  shared_.metrics.add_connections(1);
}

Session::~Session() {
  worker_.sessions.erase(registration_);
  shared_.metrics.add_connections(-1);
  if (shared_.open.fetch_sub(1) == 1) {
    std::lock_guard lock(shared_.drained_mu);
    shared_.drained_cv.notify_all();
  }
}

bool Session::bytes_waiting() {
  beast::error_code ec;
  return stream_.socket().available(ec) > 0 && !ec;
}

void Session::drain() {
  if (stream_timer_) stream_timer_->cancel();  // a streaming body sees `draining` and ends
  if (!idle_) return;                          // busy: the loop closes after the current response
  // Bytes already received are a request the client sent before shutdown: serve it.
  if (bytes_waiting()) return;
  stream_.cancel();
}

asio::awaitable<void> Session::run(std::shared_ptr<Session> self) {
  try {
    co_await self->serve();
  } catch (const std::exception& e) {
    self->shared_.log.error("connection failed",
                            {{"remote_ip", self->remote_ip_}, {"error", e.what()}});
  }
  beast::error_code ec;
  self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (self->linger_ && !ec) {
    // The client may still be sending the body we refused; closing with unread data would reset
    // the connection and could destroy our answer before the client reads it. Read and discard a
    // bounded amount for a bounded time first.
    thread_local std::array<char, 16384> sink;  // contents never read
    std::size_t discarded = 0;
    self->stream_.expires_after(kLingerTime);
    while (discarded < kLingerBytes) {
      auto [rec, n] = co_await self->stream_.async_read_some(asio::buffer(sink), kUseTuple);
      if (rec) break;
      discarded += n;
    }
  }
  self->stream_.socket().close(ec);
}

asio::awaitable<void> Session::make_durable(Response& response, const Request& request) {
  std::vector<audit::AuditEvent> events = std::move(response.audit);
  response.audit.clear();
  if (shared_.audit == nullptr) co_return;
  if (!shared_.wait_for_audit) {
    shared_.audit->submit(std::move(events), [](const Status&) {});
    co_return;
  }
  Status recorded = co_await record(*shared_.audit, std::move(events));
  if (recorded) co_return;
  // Fail closed: an answer whose record cannot be kept is not given.
  shared_.log.error("request refused: its audit events could not be recorded",
                    {{"request_id", request.request_id}, {"error", recorded.error().message}});
  response = error_response(
      {Errc::kUnavailable, "the audit log cannot record this request now; nothing was done"});
  response.headers.emplace_back("Retry-After", "1");
}

asio::awaitable<bool> Session::write_all(std::string_view bytes) {
  stream_.expires_after(shared_.config.write_timeout);
  auto [ec, n] =
      co_await asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()), kUseTuple);
  (void)n;
  co_return !ec;
}

namespace {

// What a stream's wake callback reaches: the timer the session waits on, while the session still
// streams. The callback may run on any thread and after the session is gone.
struct StreamWaker {
  std::mutex mu;
  bool alive = true;
  asio::any_io_executor executor;
  std::weak_ptr<asio::steady_timer> timer;

  void wake() {
    std::lock_guard lock(mu);
    if (!alive) return;
    asio::post(executor, [t = timer] {
      if (auto pending = t.lock()) pending->cancel();
    });
  }
};

}  // namespace

asio::awaitable<void> Session::stream_body(BodyStream& body) {
  auto executor = co_await asio::this_coro::executor;
  stream_timer_ = std::make_shared<asio::steady_timer>(executor);
  auto waker = std::make_shared<StreamWaker>();
  waker->executor = executor;
  waker->timer = stream_timer_;
  std::string chunk;
  for (;;) {
    chunk.clear();
    const bool more = body.read(chunk);
    if (!chunk.empty() && !co_await write_all(chunk)) break;
    if (!more || shared_.draining.load()) break;
    stream_timer_->expires_after(body.idle());
    body.wait([waker] { waker->wake(); });
    auto [ec] = co_await stream_timer_->async_wait(kUseTuple);
    if (shared_.draining.load()) break;
    if (!ec && !co_await write_all(body.heartbeat())) break;  // idle: a heartbeat
  }
  {
    std::lock_guard lock(waker->mu);
    waker->alive = false;
  }
  stream_timer_.reset();
}

asio::awaitable<void> Session::serve() {
  const config::ServerConfig& cfg = shared_.config;
  beast::flat_buffer buffer(cfg.max_header_bytes + cfg.max_body_bytes + 4096);
  for (;;) {
    // Wait for the first bytes of the next request (the idle timeout of a kept-alive connection).
    if (buffer.size() == 0) {
      bool draining = shared_.draining.load();
      if (draining && served_ > 0 && !bytes_waiting()) co_return;
      idle_ = true;
      stream_.expires_after(
          draining ? kDrainFirstRequestWait
                   : std::chrono::duration_cast<std::chrono::milliseconds>(cfg.idle_timeout));
      auto [ec, n] = co_await stream_.async_read_some(buffer.prepare(4096), kUseTuple);
      idle_ = false;
      if (ec) co_return;  // idle timeout, client gone, or shutdown: nothing to answer
      buffer.commit(n);
    }

    // Read the whole request, header and body, within the read timeout.
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(cfg.max_header_bytes));
    parser.body_limit(cfg.max_body_bytes);
    // Fast path: a small request usually arrives whole in the first read; parse it from the
    // buffer without another asynchronous operation. Limits apply exactly as in async_read.
    parser.eager(true);
    beast::error_code read_ec;
    buffer.consume(parser.put(buffer.data(), read_ec));
    if (read_ec == bhttp::error::need_more) read_ec = {};
    if (!read_ec && !parser.is_done()) {
      stream_.expires_after(cfg.read_timeout);
      auto [ec, n] = co_await bhttp::async_read(stream_, buffer, parser, kUseTuple);
      (void)n;
      read_ec = ec;
    }
    auto started = std::chrono::steady_clock::now();

    Request request;
    Response response;
    std::size_t route_id = shared_.router.unmatched_id();
    bool keep_alive = false;
    unsigned version = 11;
    bool head = false;
    if (read_ec) {
      std::optional<Error> answer = protocol_error(read_ec);
      if (!answer) {
        shared_.log.info("connection closed",
                         {{"remote_ip", remote_ip_}, {"reason", read_failure(read_ec)}});
        co_return;
      }
      response = error_response(*answer);
      linger_ = true;
      request.request_id = new_id();
      request.method_text = "-";
      if (parser.is_header_done()) {
        request.method_text = std::string_view(parser.get().method_string().data(),
                                               parser.get().method_string().size());
        version = parser.get().version();
      }
    } else {
      BeastRequest& message = parser.get();
      request = to_request(message);
      request.remote_ip = remote_ip_;
      auto incoming_id = request.header("X-Request-Id");
      request.request_id = incoming_id && is_acceptable_request_id(*incoming_id)
                               ? std::string(*incoming_id)
                               : new_id();
      version = message.version();
      head = request.method == Method::kHead;
      keep_alive = message.keep_alive() && !shared_.draining.load();
      shared_.metrics.add_in_flight(1);
      Dispatched d = dispatch(shared_.router, request, shared_.log);
      shared_.metrics.add_in_flight(-1);
      response = std::move(d.response);
      route_id = d.route_id;
      if (!response.audit.empty()) co_await make_durable(response, request);
      if (response.stream && response.status != 200) response.stream.reset();
      if (response.stream) keep_alive = false;
      if (shared_.draining.load()) keep_alive = false;
    }

    int status = response.status;
    serialize(response, version, head, keep_alive, request.request_id, out_);
    // Most responses fit in the socket's send buffer: write what we can at once (the socket is
    // non-blocking), and wait — under the write timeout — only for what is left.
    beast::error_code write_ec;
    std::size_t sent = stream_.socket().write_some(asio::buffer(out_), write_ec);
    if (write_ec == asio::error::would_block || write_ec == asio::error::try_again) {
      write_ec = {};
      sent = 0;
    }
    if (!write_ec && sent < out_.size()) {
      stream_.expires_after(cfg.write_timeout);
      auto [ec, n] = co_await asio::async_write(
          stream_, asio::buffer(out_.data() + sent, out_.size() - sent), kUseTuple);
      (void)n;
      write_ec = ec;
    }
    ++served_;
    if (response.stream) {
      if (!write_ec && !head) co_await stream_body(*response.stream);
      response.stream->close();
      keep_alive = false;
    }

    auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
    shared_.metrics.observe(worker_.index, route_id, status, static_cast<std::uint64_t>(elapsed));
    if (cfg.access_log) {
      shared_.log.info("request", {{"request_id", request.request_id},
                                   {"method", request.method_text},
                                   {"route", shared_.router.labels()[route_id]},
                                   {"status", status},
                                   {"duration_ms", static_cast<double>(elapsed) / 1e6},
                                   {"remote_ip", remote_ip_}});
    }
    if (write_ec || !keep_alive) co_return;
  }
}

}  // namespace sg::http::detail
