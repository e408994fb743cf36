#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/typed_response_promise.hpp>

namespace mc {

/// The submits a cloud_upstream has not answered yet: which message ids
/// each waits for, which ids are in progress (a resubmit of one joins it
/// instead of sending it again) and which ended lately (a resubmit of one
/// is answered at once). A plain object owned by the actor.
class cloud_batches {
public:
  using promise = caf::typed_response_promise<std::vector<std::string>>;

  /// Whether `id` ended lately.
  bool done(const std::string& id) const;

  /// Whether `id` is in progress (some batch waits for it).
  bool in_progress(const std::string& id) const;

  /// Adds a submit of `ids` waiting for `pending` (a subset of them, each
  /// either new or in progress); answers it at once when nothing is pending.
  void add(promise p, std::vector<std::string> ids,
           const std::vector<std::string>& pending);

  /// `id` ended: answers every submit that waited for it last.
  void finish(const std::string& id);

  /// `id` cannot end under this session: fails every submit waiting for
  /// it with `err`.
  void fail(const std::string& id, const caf::error& err);

  /// Ids in progress.
  size_t pending() const {
    return waiting_.size();
  }

private:
  struct batch {
    promise answer;
    std::vector<std::string> ids;
    size_t remaining = 0;
  };

  void remember_done(const std::string& id);

  uint64_t next_ = 0;
  std::map<uint64_t, batch> batches_;
  std::map<std::string, std::vector<uint64_t>> waiting_;
  std::set<std::string> done_;
  std::deque<std::string> done_order_;
};

} // namespace mc
