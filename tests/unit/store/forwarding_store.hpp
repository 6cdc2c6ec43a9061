// ForwardingStore passes every Store operation to another Store. Tests derive from it and
// override only the operations they make fail, wait or interleave, so a Store operation added
// later needs one forwarder here rather than one in every test double. Test-only; as thread-safe
// as the Store it wraps, which must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace sg::store::testing {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  std::string_view engine() const override { return inner_.engine(); }
  Status ping() override { return inner_.ping(); }
  Result<int> schema_version() override { return inner_.schema_version(); }
  Result<std::optional<std::string>> get_meta(std::string_view key) override {
    return inner_.get_meta(key);
  }
  Status put_meta(std::string_view key, std::string_view value) override {
    return inner_.put_meta(key, value);
  }
  Status append_audit(const AuditHead& after, std::span<const AuditRecord> records) override {
    return inner_.append_audit(after, records);
  }
  // append_audit_unsynced keeps the Store default (this->append_audit), so a test that overrides
  // append_audit sees the writer's appends too.
  Status sync_audit() override { return inner_.sync_audit(); }
  Result<AuditHead> audit_head() override { return inner_.audit_head(); }
  Result<std::vector<AuditRecord>> read_audit(const AuditQuery& query) override {
    return inner_.read_audit(query);
  }
  Status add_audit_checkpoint(const AuditCheckpointRecord& checkpoint) override {
    return inner_.add_audit_checkpoint(checkpoint);
  }
  Status add_audit_checkpoint_unsynced(const AuditCheckpointRecord& checkpoint) override {
    return inner_.add_audit_checkpoint_unsynced(checkpoint);
  }
  Result<std::vector<AuditCheckpointRecord>> read_audit_checkpoints(std::int64_t after_seq,
                                                                    std::size_t limit) override {
    return inner_.read_audit_checkpoints(after_seq, limit);
  }
  Status add_signing_key(const SigningKeyRecord& key) override {
    return inner_.add_signing_key(key);
  }
  Result<std::vector<SigningKeyRecord>> signing_keys(std::string_view purpose) override {
    return inner_.signing_keys(purpose);
  }
  Status revoke_token(std::string_view jti, std::int64_t expires_at,
                      std::string_view revoked_at) override {
    return inner_.revoke_token(jti, expires_at, revoked_at);
  }
  Result<std::vector<RevokedToken>> revoked_tokens(std::int64_t now) override {
    return inner_.revoked_tokens(now);
  }
  Status purge_revoked_tokens(std::int64_t now) override {
    return inner_.purge_revoked_tokens(now);
  }
  Result<RunRecord> create_run(const RunRecord& run) override { return inner_.create_run(run); }
  Result<std::optional<RunRecord>> get_run(std::string_view id) override {
    return inner_.get_run(id);
  }
  Status update_run(const RunRecord& run, std::string_view expected_status) override {
    return inner_.update_run(run, expected_status);
  }
  Result<std::vector<RunRecord>> list_runs(const RunQuery& query) override {
    return inner_.list_runs(query);
  }
  Result<std::vector<RunRecord>> runs_with_status(std::span<const std::string> statuses) override {
    return inner_.runs_with_status(statuses);
  }
  Status append_run_events(std::string_view run_id,
                           std::span<const RunEventRecord> events) override {
    return inner_.append_run_events(run_id, events);
  }
  Result<std::vector<RunEventRecord>> read_run_events(std::string_view run_id,
                                                      std::int64_t after_seq,
                                                      std::size_t limit) override {
    return inner_.read_run_events(run_id, after_seq, limit);
  }

 protected:
  Store& inner() { return inner_; }

 private:
  Store& inner_;
};

}  // namespace sg::store::testing
