// read_checked reads the stored audit events with seq 1..through_seq on several threads at once and
// hands them over checked on their own, in seq order: the reading half of AuditStore::verify.
//
// The range is cut into pages of `page` seqs. Each of `threads` worker threads has its own
// store::AuditReader (a connection of its own where the engine gives one), takes the next page,
// reads it and checks each event on its own (CheckedBatch::add: text, hash, columns — the costly
// part) on the thread that read it. The calling thread hands the pages to `consume` strictly in
// seq order, so what is found first in seq order is found first whatever thread was faster. At
// most 2 × threads pages are read ahead of the one being consumed, so memory stays bounded
// whatever the log's size. Stateless; thread-safe as the Store is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "audit/verify.hpp"
#include "common/result.hpp"
#include "store/store.hpp"

namespace sg::audit {

// The threads read_checked uses when given 0: the hardware threads, at least 1.
unsigned default_reader_threads();

// Calls `consume` with every page of events in (0, through_seq], in seq order (pages with no
// stored events included, as empty batches), until it returns false. `threads` 0 means
// default_reader_threads(). Returns OK once every page was consumed or `consume` said stop; an
// error when a reader could not be opened or a page could not be read whole — then the pages
// before it were consumed and no page after it was. Errors: kInvalidArgument (page 0),
// kStoreUnavailable, kInternal (a worker thread failed).
Status read_checked(store::Store& store, std::int64_t through_seq, std::size_t page,
                    unsigned threads, const std::function<bool(const CheckedBatch&)>& consume);

}  // namespace sg::audit
