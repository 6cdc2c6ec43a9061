#include "store/sqlite/statement_cache.hpp"

#include <utility>

namespace sg::store {

StatementCache::Lease::Lease(Statement&& owned) : owned_(std::move(owned)), statement_(&*owned_) {}

StatementCache::Lease::Lease(Lease&& other) noexcept
    : owned_(std::move(other.owned_)), statement_(owned_ ? &*owned_ : other.statement_) {
  other.statement_ = nullptr;
}

StatementCache::Lease::~Lease() {
  if (statement_ != nullptr && !owned_) statement_->reset();
}

Result<StatementCache::Lease> StatementCache::get(std::string_view sql, std::string_view what) {
  if (auto found = statements_.find(sql); found != statements_.end()) {
    return Lease(&found->second);
  }
  Result<Statement> prepared = Statement::prepare(db_, sql, what);
  if (!prepared) return prepared.error();
  if (statements_.size() >= capacity_) return Lease(std::move(*prepared));
  auto at = statements_.emplace(std::string(sql), std::move(*prepared)).first;
  return Lease(&at->second);
}

}  // namespace sg::store
