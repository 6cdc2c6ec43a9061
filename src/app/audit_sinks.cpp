#include "app/audit_sinks.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "audit/curl_poster.hpp"
#include "audit/file_sink.hpp"
#include "audit/stdout_sink.hpp"
#include "audit/webhook_sink.hpp"

namespace sg::app {
namespace {

using config::AuditSinkConfig;

Error config_error(std::size_t index, std::string_view what) {
  return make_error(Errc::kInvalidConfig,
                    "audit.sinks[" + std::to_string(index) + "]" + std::string(what));
}

Result<std::unique_ptr<audit::Sink>> make_webhook(const AuditSinkConfig& c, std::size_t index) {
  audit::WebhookSink::Options options;
  options.url = c.url;
  options.batch = c.batch;
  options.timeout = c.timeout;
  if (c.token) {
    auto token = c.token->resolve();
    if (!token) return config_error(index, ".webhook.token: " + token.error().message);
    if (std::ranges::any_of(*token, [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; })) {
      return config_error(
          index, ".webhook.token: secret " + c.token->describe() + " holds a control character");
    }
    options.token = std::move(token).value();
  }
  return std::unique_ptr<audit::Sink>(std::make_unique<audit::WebhookSink>(
      std::move(options), std::make_unique<audit::CurlPoster>()));
}

Result<std::unique_ptr<audit::Sink>> make_sink(const AuditSinkConfig& c, std::size_t index) {
  switch (c.kind) {
    case AuditSinkConfig::Kind::kStdout:
      return std::unique_ptr<audit::Sink>(std::make_unique<audit::StdoutSink>());
    case AuditSinkConfig::Kind::kFile: {
      auto file = audit::FileSink::open(c.path);
      if (!file) return config_error(index, ": " + file.error().message);
      return std::unique_ptr<audit::Sink>(std::move(file).value());
    }
    case AuditSinkConfig::Kind::kWebhook:
      return make_webhook(c, index);
  }
  return config_error(index, ": unknown sink kind");
}

}  // namespace

Result<std::vector<std::unique_ptr<audit::SinkRunner>>> make_audit_sinks(
    const config::AuditConfig& config, store::Store& store, Logger& log) {
  std::vector<std::unique_ptr<audit::SinkRunner>> runners;
  for (std::size_t i = 0; i < config.sinks.size(); ++i) {
    const AuditSinkConfig& c = config.sinks[i];
    auto sink = make_sink(c, i);
    if (!sink) return sink.error();
    for (std::size_t j = 0; j < runners.size(); ++j) {
      if (runners[j]->name() == (*sink)->name()) {
        return config_error(i, ": the same sink as audit.sinks[" + std::to_string(j) + "] (" +
                                   std::string((*sink)->name()) + ")");
      }
    }
    audit::SinkRunner::Options options;
    if (c.kind == AuditSinkConfig::Kind::kWebhook) options.batch = c.batch;
    runners.push_back(
        std::make_unique<audit::SinkRunner>(std::move(sink).value(), store, options, log));
  }
  return runners;
}

}  // namespace sg::app
