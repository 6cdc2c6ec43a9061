#include "runs/output_tail.hpp"

namespace sg::runs {

void OutputTail::append(std::string_view bytes) {
  if (bytes.size() >= max_) {  // the new bytes alone fill the tail
    dropped_ += text().size() + (bytes.size() - max_);
    buf_.assign(bytes.substr(bytes.size() - max_));
    start_ = 0;
    return;
  }
  const std::size_t held = buf_.size() - start_;
  if (held + bytes.size() > max_) {
    const std::size_t drop = held + bytes.size() - max_;
    start_ += drop;
    dropped_ += drop;
  }
  // Compacting only when the buffer would pass twice the bound moves each byte O(1) times.
  if (buf_.size() + bytes.size() > 2 * max_) {
    buf_.erase(0, start_);
    start_ = 0;
  }
  buf_.append(bytes);
}

}  // namespace sg::runs
